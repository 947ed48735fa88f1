/* resolve_book.navigation: the menu and contents buttons that readers see.
 *
 * pydata-sphinx-theme wires its sidebar dialogs to the *first* ".primary-toggle"
 * and ".secondary-toggle" on the page: the buttons of its own header, which
 * sphinx-book-theme hides. The buttons a reader sees are sphinx-book-theme's, in the
 * article header, and nothing listens to them. Here they pass a click on to the
 * theme's button (which opens the menu or the page contents as a dialog on narrow
 * screens), and on wide screens the menu button shows or hides the sidebar. A link
 * followed inside such a dialog closes it, so that the reader sees the section it
 * leads to.
 */
(function () {
  "use strict";
  // pydata-sphinx-theme's "lg" breakpoint: from here up the sidebar sits beside the text.
  var WIDE = "(min-width: 960px)";

  function wire(selector, collapsible) {
    var buttons = document.querySelectorAll(selector);
    var themeButton = buttons[0];
    for (var i = 1; i < buttons.length; i++) {
      var button = buttons[i];
      if (collapsible) {
        button.setAttribute("aria-controls", collapsible.id);
        button.setAttribute("aria-expanded", "true");
      }
      button.addEventListener("click", function (event) {
        var own = event.currentTarget;
        event.preventDefault();
        event.stopImmediatePropagation();
        own.blur();
        if (collapsible && window.matchMedia(WIDE).matches) {
          var hidden = collapsible.classList.toggle("pst-sidebar-hidden");
          own.setAttribute("aria-expanded", hidden ? "false" : "true");
        } else {
          themeButton.click();
        }
      }, true);
    }
  }

  function closeOnLink(dialog) {
    if (!dialog) return;
    dialog.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (link && dialog.open) dialog.close();
    });
  }

  function setup() {
    wire(".primary-toggle", document.getElementById("pst-primary-sidebar"));
    wire(".secondary-toggle", null);
    closeOnLink(document.getElementById("pst-primary-sidebar-modal"));
    closeOnLink(document.getElementById("pst-secondary-sidebar-modal"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
