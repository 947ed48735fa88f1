/* quizkit live, the presenter's page (for the projector). The token comes in the
 * address once, is kept in sessionStorage and removed from the address bar. */
(function () {
  "use strict";
  var L = window.quizkitLive, el = L.el, clear = L.clear;
  var $ = function (id) { return document.getElementById(id); };
  var code = location.pathname.split("/").pop().toUpperCase();
  var params = new URLSearchParams(location.search);
  var storeKey = "quizkit-live-token-" + code;
  var token = params.get("token") || sessionStorage.getItem(storeKey) || "";
  sessionStorage.setItem(storeKey, token);
  if (params.get("token")) history.replaceState(null, "", location.pathname);
  var auth = {Authorization: "Bearer " + token};
  var base = "/api/p/" + code;
  var current = null, ending = false;

  function status(text) { $("status").textContent = text || ""; }

  function act(action) {
    return L.api("POST", base + "/action", {action: action}, auth).then(function (reply) {
      status(reply.ok ? "" : reply.data.error);
    });
  }

  // Space: the next step of the question (open → reveal → next question).
  function step() {
    if (!current) return;
    if (current.phase === "open" || current.phase === "paused") act("reveal");
    else act("next");
  }

  function end() {
    if (!ending) {
      ending = true;
      $("end").textContent = "Press again to end";
      status("Press End (or E) again to end the session for everyone.");
      return;
    }
    ending = false;
    $("end").textContent = "End session";
    act("end");
  }

  $("next").addEventListener("click", function () { act("next"); });
  $("previous").addEventListener("click", function () { act("previous"); });
  $("reveal-button").addEventListener("click", function () { act("reveal"); });
  $("pause").addEventListener("click", function () {
    act(current && current.phase === "paused" ? "resume" : "pause");
  });
  $("end").addEventListener("click", end);
  $("export").addEventListener("click", exportFiles);
  $("toggle-names").addEventListener("click", function () {
    var list = $("names"), open = list.hidden;
    list.hidden = !open;
    this.setAttribute("aria-expanded", String(open));
    this.textContent = open ? "Hide names" : "Show names";
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.altKey || event.ctrlKey || event.metaKey || tag === "input") return;
    var key = event.key;
    if (key === "ArrowRight" || key === "PageDown") act("next");
    else if (key === "ArrowLeft" || key === "PageUp") act("previous");
    else if (key === " ") step();  // a clicker's key, even on a button (Enter presses buttons)
    else if (key === "r" || key === "R") act("reveal");
    else if (key === "p" || key === "P") $("pause").click();
    else if (key === "e" || key === "E") end();
    else return;
    event.preventDefault();
  });

  function exportFiles() {
    L.api("POST", base + "/export", {}, auth).then(function (reply) {
      if (!reply.ok) { status(reply.data.error); return; }
      var box = clear($("files"));
      box.hidden = false;
      box.appendChild(el("p", "Written to " + reply.data.folder + ": " + reply.data.files.join(", ")));
      var list = el("ul");
      ["responses.csv", "key.csv", "events.json"].forEach(function (name) {
        var link = el("a", "Download " + name);
        link.href = base + "/files/" + name + "?token=" + encodeURIComponent(token);
        link.download = "live-" + code + "-" + name;
        list.appendChild(el("li")).appendChild(link);
      });
      box.appendChild(list);
      status("Export written.");
    });
  }

  function histogram(bars, total) {
    var box = clear($("histogram"));
    var most = Math.max(1, Math.max.apply(null, bars.map(function (b) { return b.count; })));
    bars.forEach(function (bar) {
      var row = el("div", null, "bar-row" + (bar.correct ? " correct" : ""));
      row.appendChild(el("span", (bar.correct ? "\u2714 " : "") + bar.label, "bar-label"));
      var track = el("span", null, "bar-track");
      var fill = el("span", null, "bar-fill");
      fill.style.width = (100 * bar.count / most) + "%";
      track.appendChild(fill);
      row.appendChild(track);
      row.appendChild(el("span", String(bar.count), "bar-count"));
      box.appendChild(row);
    });
  }

  function results(r) {
    var box = clear($("results"));
    box.hidden = false;
    box.appendChild(el("h3", "Scores (" + r.students + " students, " + r.total + " questions)"));
    var table = el("table"), head = el("tr");
    ["Student", "Score"].forEach(function (h) { head.appendChild(el("th", h)).scope = "col"; });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    r.scores.forEach(function (s) {
      var tr = el("tr");
      tr.appendChild(el("td", s.name));
      tr.appendChild(el("td", s.score + " of " + r.total));
      body.appendChild(tr);
    });
    box.appendChild(table);
    box.appendChild(el("h3", "Questions"));
    var qt = el("table"), qh = el("tr");
    ["Question", "Right", "Answered", "Answer"].forEach(function (h) { qh.appendChild(el("th", h)).scope = "col"; });
    qt.appendChild(el("thead")).appendChild(qh);
    var qb = qt.appendChild(el("tbody"));
    r.questions.forEach(function (q) {
      var tr = el("tr");
      tr.appendChild(el("td", q.number + ". " + q.stem));
      tr.appendChild(el("td", String(q.right)));
      tr.appendChild(el("td", String(q.answered)));
      tr.appendChild(el("td", q.answer));
      qb.appendChild(tr);
    });
    box.appendChild(qt);
  }

  function render(state) {
    current = state;
    $("title").textContent = state.title;
    $("join-url").textContent = state.student_url;
    $("join-code").textContent = state.code;
    $("joined").textContent = String(state.joined);
    var names = clear($("names"));
    state.names.forEach(function (n) { names.appendChild(el("li", n)); });
    $("pause").textContent = state.phase === "paused" ? "Resume" : "Pause";
    $("phase").textContent = {lobby: "", open: "", paused: "Paused", revealed: "Revealed",
                              ended: "Ended"}[state.phase];
    L.countdown($("timer"), state.timer, "Time left: ", state.phase === "open");
    var reveal = clear($("reveal"));
    reveal.hidden = !state.reveal;
    if (state.phase === "ended") {
      $("stage-heading").textContent = "The session has ended";
      $("stem").textContent = "";
      clear($("passage")).hidden = true;
      clear($("choices")); clear($("histogram"));
      $("answered").textContent = "";
      results(state.results);
      return;
    }
    $("results").hidden = true;
    if (!state.question) {
      $("stage-heading").textContent = "Waiting for the class to join";
      clear($("passage")).hidden = true;
      $("stem").textContent = "Press \u2192 or Next question to ask the first question.";
      return;
    }
    var q = state.question;
    $("stage-heading").textContent = "Question " + q.number + " of " + q.total;
    var passage = clear($("passage"));
    passage.hidden = !q.passage;
    if (q.passage) passage.appendChild(L.passageBlock(q.passage));
    $("stem").textContent = q.stem;
    var choices = clear($("choices"));
    (q.options || q.events || q.lefts || []).forEach(function (text) { choices.appendChild(el("li", text)); });
    $("answered").textContent = String(state.answers) + " of " + state.joined;
    histogram(state.histogram, state.answers);
    if (state.reveal) {
      var r = state.reveal;
      reveal.appendChild(el("h3", "Answer"));
      var list = el("ul");
      r.answer.forEach(function (line) { list.appendChild(el("li", line)); });
      reveal.appendChild(list);
      reveal.appendChild(el("p", r.right + " of " + state.answers + " right."));
      reveal.appendChild(el("p", r.explanation));
      reveal.appendChild(el("p", L.sourceLine(r.source), "source"));
    }
  }

  $("qr").src = "/qr/" + code + ".svg";
  L.follow(base + "/events?token=" + encodeURIComponent(token), base + "/state", render,
           status, auth);
})();
