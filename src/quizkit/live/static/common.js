/* quizkit live: helpers shared by the student and presenter pages.
 * Everything that came from a student or a bank is put on the page with
 * textContent, never as HTML. */
(function () {
  "use strict";

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // fetch + JSON; resolves to {ok, status, data} and never throws on HTTP errors.
  function api(method, url, body, headers) {
    var init = {method: method, headers: headers || {}, credentials: "same-origin"};
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return {ok: response.ok, status: response.status, data: data};
      });
    }, function () {
      return {ok: false, status: 0, data: {error: "no connection; trying again"}};
    });
  }

  // Server-sent events, falling back to polling when the network breaks them
  // (some proxies buffer streams). onState gets every new state once.
  function follow(streamUrl, pollUrl, onState, onTrouble, headers) {
    var last = "", failures = 0, polling = false, source = null;
    function deliver(state) {
      var text = JSON.stringify(state);
      if (state && text !== last) {  // a poll that brings nothing new redraws nothing
        last = text;
        onState(state);
      }
    }
    function poll() {
      api("GET", pollUrl, undefined, headers).then(function (reply) {
        if (reply.ok) { deliver(reply.data); onTrouble(""); }
        else onTrouble(reply.data.error || "no connection; trying again");
        if (!(reply.ok && reply.data.phase === "ended")) window.setTimeout(poll, 2000);
      });
    }
    function open() {
    if (!window.EventSource) { polling = true; poll(); return; }
    source = new EventSource(streamUrl);
    source.onmessage = function (event) {
      failures = 0;
      onTrouble("");
      var state = JSON.parse(event.data);
      if (state.phase === "ended") source.close();
      deliver(state);
    };
    source.onerror = function () {
      failures += 1;
      if (polling) return;
      if (failures >= 3 || source.readyState === EventSource.CLOSED) {
        source.close();
        polling = true;
        poll();
      } else {
        onTrouble("connection lost; reconnecting");
      }
    };
  }
    open();
  }

  function sourceLine(source) {
    var text = "Source: " + source.id;
    if (source.quote) text += ", \u201c" + source.quote + "\u201d";
    else if (source.locator) text += ", " + source.locator;
    return text;
  }

  function seconds(value) {
    var s = Math.ceil(value);
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  // A countdown shown in node, from the server's remaining seconds; stops at 0 or
  // when paused (then it shows the frozen time).
  var ticking = null;
  function countdown(node, remaining, prefix, running) {
    if (ticking) window.clearInterval(ticking);
    ticking = null;
    node.hidden = remaining === null || remaining === undefined;
    if (node.hidden) return;
    var until = Date.now() + remaining * 1000;
    function show() {
      var left = Math.max(0, (until - Date.now()) / 1000);
      node.textContent = prefix + seconds(left);
      if (left <= 0 && ticking) { window.clearInterval(ticking); ticking = null; }
    }
    show();
    if (running) ticking = window.setInterval(show, 1000);
  }

  // The passage of a context-dependent set, shown with each of its questions. Every
  // text goes in with textContent: nothing from a bank becomes markup.
  function passageBlock(passage) {
    var box = el("div", null, "passage");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Passage: " + passage.title);
    box.appendChild(el("p", passage.title, "passage-title"));
    passage.paragraphs.forEach(function (text) { box.appendChild(el("p", text)); });
    if (passage.table) {
      var table = el("table"), head = el("tr");
      passage.table.header.forEach(function (text) {
        var th = el("th", text);
        th.scope = "col";
        head.appendChild(th);
      });
      table.appendChild(el("thead")).appendChild(head);
      var body = table.appendChild(el("tbody"));
      passage.table.rows.forEach(function (row) {
        var tr = body.appendChild(el("tr"));
        row.forEach(function (text) { tr.appendChild(el("td", text)); });
      });
      box.appendChild(table);
    }
    box.appendChild(el("p", passage.source, "source"));
    return box;
  }

  window.quizkitLive = {el: el, clear: clear, api: api, follow: follow,
                        sourceLine: sourceLine, seconds: seconds, countdown: countdown,
                        passageBlock: passageBlock};
})();
