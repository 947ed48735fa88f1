/* quizkit live, the student's page: join, answer the question being asked, see
 * the reveal and the final score. The server judges every answer; this page never
 * holds a key. Identity is an HttpOnly cookie, so a reload is the same student. */
(function () {
  "use strict";
  var L = window.quizkitLive, el = L.el, clear = L.clear;
  var code = location.pathname.split("/").pop().toUpperCase();
  var base = "/api/s/" + code;
  var $ = function (id) { return document.getElementById(id); };
  var shown = {key: null};  // what the answer form currently shows
  var info = {anonymous: false};

  function status(text) { $("status").textContent = text || ""; }

  function start() {
    L.api("GET", base + "/info").then(function (reply) {
      if (!reply.ok) { status(reply.data.error || "This session is not available."); return; }
      info = reply.data;
      $("title").textContent = info.title;
      document.title = info.title + ": live quiz";
      L.api("GET", base + "/me").then(function (me) {
        if (me.ok) play(me.data.name); else showJoin();
      });
    });
  }

  function showJoin() {
    $("join").hidden = false;
    if (info.anonymous) {
      $("name-row").hidden = true;
      $("join-button").textContent = "Join with a nickname";
    } else if (info.roster) {
      $("name-label").textContent = "Your student id";
    }
    $("join-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var body = info.anonymous ? {} : {name: $("name").value};
      $("join-button").disabled = true;
      L.api("POST", base + "/join", body).then(function (reply) {
        $("join-button").disabled = false;
        if (reply.ok) { $("join").hidden = true; play(reply.data.name); }
        else { status(reply.data.error); $("name").focus(); }
      });
    });
  }

  function play(name) {
    $("who").textContent = "You are " + name;
    $("play").hidden = false;
    L.follow(base + "/events", base + "/state", render, status);
  }

  // -- the question ---------------------------------------------------------------

  function field(labelText, control, id) {
    var row = el("div", null, "row");
    var label = el("label", labelText);
    control.id = id;
    label.htmlFor = id;
    row.appendChild(label);
    row.appendChild(control);
    return row;
  }

  function select(placeholder, labels) {
    var s = document.createElement("select");
    s.appendChild(el("option", placeholder)).value = "";
    labels.forEach(function (text, i) { s.appendChild(el("option", text)).value = String(i); });
    return s;
  }

  function buildForm(q) {
    var form = clear($("answer-form"));
    if (q.passage) form.appendChild(L.passageBlock(q.passage));
    var set = el("fieldset");
    set.appendChild(el("legend", q.number + " of " + q.total + ". " + q.stem));
    var id = "q" + q.number;
    if (q.type === "single" || q.type === "multiple") {
      if (q.type === "multiple") set.appendChild(el("p", "Choose all that apply.", "hint"));
      q.options.forEach(function (text, i) {
        var row = el("div", null, "option");
        var input = document.createElement("input");
        input.type = q.type === "single" ? "radio" : "checkbox";
        input.name = id;
        input.value = String(i);
        input.id = id + "-" + i;
        var label = el("label", text);
        label.htmlFor = input.id;
        row.appendChild(input);
        row.appendChild(label);
        set.appendChild(row);
      });
    } else if (q.type === "numeric" || q.type === "text") {
      var input = document.createElement("input");
      input.type = "text";
      input.autocomplete = "off";
      input.spellcheck = false;
      if (q.type === "numeric") input.inputMode = "decimal";
      input.maxLength = q.type === "numeric" ? 40 : 200;
      set.appendChild(field("Your answer" + (q.unit ? " (" + q.unit + ")" : ""), input, id + "-answer"));
    } else if (q.type === "order") {
      set.appendChild(el("p", "Give each event its position, from 1 (earliest) to " +
        q.events.length + " (latest).", "hint"));
      var positions = q.events.map(function (_, i) { return String(i + 1); });
      q.events.forEach(function (text, i) {
        set.appendChild(field(text, select("Position", positions), id + "-" + i));
      });
      set.querySelectorAll("select").forEach(function (s) {
        Array.prototype.forEach.call(s.options, function (o) { if (o.value) o.value = String(Number(o.value) + 1); });
      });
    } else if (q.type === "match") {
      set.appendChild(el("p", "Choose the match for each entry.", "hint"));
      q.lefts.forEach(function (text, i) {
        set.appendChild(field(text, select("Choose a match", q.rights), id + "-" + i));
      });
    }
    form.appendChild(set);
    var send = el("button", "Send answer");
    send.type = "submit";
    send.id = "send";
    form.appendChild(send);
    form.onsubmit = function (event) {
      event.preventDefault();
      var answer = readAnswer(q);
      if (answer === null) { status("Answer every part before sending."); return; }
      send.disabled = true;
      L.api("POST", base + "/answer", {number: q.number, answer: answer}).then(function (reply) {
        send.disabled = false;
        status(reply.ok ? (reply.data.changed ? "Answer changed." : "Answer received.")
                        : reply.data.error);
      });
    };
    form.hidden = false;
  }

  function controls() {
    return Array.prototype.slice.call($("answer-form").querySelectorAll("input, select"));
  }

  function readAnswer(q) {
    var all = controls();
    if (q.type === "single") {
      var picked = all.filter(function (c) { return c.checked; });
      return picked.length ? Number(picked[0].value) : null;
    }
    if (q.type === "multiple") {
      var chosen = all.filter(function (c) { return c.checked; }).map(function (c) { return Number(c.value); });
      return chosen.length ? chosen : null;
    }
    if (q.type === "numeric" || q.type === "text") return all[0].value.trim() ? all[0].value : null;
    var values = all.map(function (s) { return s.value; });
    if (values.some(function (v) { return v === ""; })) return null;
    return values.map(Number);
  }

  function writeAnswer(q, answer) {
    controls().forEach(function (c, i) {
      if (q.type === "single") c.checked = Number(c.value) === answer;
      else if (q.type === "multiple") c.checked = answer.indexOf(Number(c.value)) >= 0;
      else if (q.type === "numeric" || q.type === "text") c.value = answer;
      else c.value = String(answer[i]);
    });
  }

  // -- states ------------------------------------------------------------------------

  function render(state) {
    $("title").textContent = state.title;
    var waiting = $("waiting"), form = $("answer-form"), reveal = $("reveal"), result = $("result");
    L.countdown($("timer"), state.timer, "Time left: ", state.phase === "open");
    if (state.phase === "ended") {
      form.hidden = true; reveal.hidden = true; waiting.textContent = "";
      clear(result).hidden = false;
      result.appendChild(el("h2", "Your score: " + state.result.score + " of " + state.result.total));
      var list = el("ul");
      state.result.right.forEach(function (ok, i) {
        list.appendChild(el("li", "Question " + (i + 1) + ": " + (ok ? "right" : "not right")));
      });
      result.appendChild(list);
      status("The quiz has ended. Thank you!");
      return;
    }
    if (!state.question) {
      waiting.textContent = "Waiting for the first question\u2026";
      form.hidden = true;
      return;
    }
    var q = state.question;
    var key = q.number + ":" + state.phase;
    waiting.textContent = state.phase === "paused" ? "Paused: wait for the presenter." : "";
    if (shown.key === null || shown.key.split(":")[0] !== String(q.number)) {
      buildForm(q);
      status("");
    }
    if (state.your_answer !== null && state.your_answer !== undefined && shown.key !== key) {
      writeAnswer(q, state.your_answer);
    }
    shown.key = key;
    var closed = state.phase !== "open";
    controls().forEach(function (c) { c.disabled = closed; });
    $("send").hidden = closed;
    clear(reveal).hidden = !state.reveal;
    if (state.reveal) {
      var r = state.reveal;
      var verdict = r.you_were_right === null ? "You did not answer this one."
        : r.you_were_right ? "Right!" : "Not right this time.";
      reveal.appendChild(el("p", verdict, r.you_were_right ? "verdict right" : "verdict wrong"));
      reveal.appendChild(el("p", "Answer: " + r.answer_text, "answer"));
      reveal.appendChild(el("p", r.explanation));
      reveal.appendChild(el("p", L.sourceLine(r.source), "source"));
    }
  }

  start();
})();
