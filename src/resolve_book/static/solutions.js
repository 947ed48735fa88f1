/* resolve_book.solutions: the whole title of a solution opens and closes it.
 *
 * sphinx-togglebutton makes an admonition's title its toggle, but finds the button
 * only when the click lands on the title itself, the button or the chevron: a click
 * (or a tap) on a word of the title in italics or in a formula throws
 * "ReferenceError: button is not defined" and does nothing. Clicks inside the title
 * are handed to the title itself, which the script handles.
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest) return;
    var title = target.closest(".admonition.toggle > .admonition-title");
    if (!title || target === title || target.closest(".toggle-button")) return;
    event.preventDefault();
    event.stopPropagation();
    title.click();
  }, true);
})();
