/* quizkit self-check quizzes (no library, nothing fetched).
 *
 * Each .quizkit-item carries its answer data in data-qk, obfuscated by payload.py
 * (JSON -> UTF-8 -> XOR with a key stream from the item id -> base64); it is decoded
 * only on Check. Feedback is always inserted with textContent, never as HTML.
 * Answers and checked state are kept in localStorage per page and item.
 */
(function () {
  "use strict";

  // Same generator as payload.py: FNV-1a of "quizkit:<id>" seeds xorshift32.
  function keyStream(id, size) {
    var bytes = new TextEncoder().encode("quizkit:" + id), state = 0x811c9dc5, i;
    for (i = 0; i < bytes.length; i++) state = Math.imul(state ^ bytes[i], 0x01000193) >>> 0;
    state = state || 0x9e3779b9;
    var out = new Uint8Array(size);
    for (i = 0; i < size; i++) {
      state = (state ^ (state << 13)) >>> 0;
      state = (state ^ (state >>> 17)) >>> 0;
      state = (state ^ (state << 5)) >>> 0;
      out[i] = state & 0xff;
    }
    return out;
  }

  function decode(id, payload) {
    var raw = atob(payload), keys = keyStream(id, raw.length);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i) ^ keys[i];
    return JSON.parse(new TextDecoder("utf-8").decode(bytes));
  }

  // Keep in step with quizkit.model.normalize_answer.
  function normalizeAnswer(text) {
    return text.normalize("NFC")
      .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
      .replace(/[\u201c-\u201f\u2033]/g, '"')
      .replace(/[\u2010-\u2014]/g, "-")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  var store = {
    get: function (key) {
      try { return JSON.parse(window.localStorage.getItem(key)); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ }
    }
  };

  function controls(item) {
    return Array.prototype.slice.call(item.querySelectorAll("input, select"));
  }

  // The student's answer as plain data, or null when nothing has been given yet.
  function readAnswer(item, type) {
    var all = controls(item);
    if (type === "single" || type === "multiple") {
      var chosen = all.filter(function (c) { return c.checked; })
        .map(function (c) { return Number(c.value); });
      return chosen.length ? chosen : null;
    }
    if (type === "numeric" || type === "text") return all[0].value.trim() ? all[0].value : null;
    var picks = all.map(function (s) { return s.value; });
    return picks.some(function (v) { return v !== ""; }) ? picks : null;
  }

  function writeAnswer(item, type, answer) {
    controls(item).forEach(function (c, i) {
      if (type === "single" || type === "multiple") c.checked = answer.indexOf(Number(c.value)) >= 0;
      else if (type === "numeric" || type === "text") c.value = answer;
      else c.value = answer[i] || "";
    });
  }

  function isRight(data, type, answer) {
    if (type === "single") return data.correct.indexOf(answer[0]) >= 0;
    if (type === "multiple") {
      return answer.length === data.correct.length &&
        answer.every(function (i) { return data.correct.indexOf(i) >= 0; });
    }
    if (type === "numeric") {
      var given = parseFloat(answer);
      var slack = 1e-9 * Math.max(1, Math.abs(data.value));
      return isFinite(given) && Math.abs(given - data.value) <= data.tolerance + slack;
    }
    if (type === "text") return data.accept.indexOf(normalizeAnswer(answer)) >= 0;
    var expected = type === "order" ? data.positions : data.matches;
    return answer.every(function (v, i) { return v !== "" && Number(v) === expected[i]; });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  // Marks each option or row right or wrong (text and colour); with "reveal", also
  // the right answer. Returns the lines of feedback.
  function markAndExplain(item, data, type, answer, right, reveal) {
    var lines = [], wrongRows = [];
    if (type === "single" || type === "multiple") {
      item.querySelectorAll(".quizkit-option").forEach(function (row, i) {
        var chosen = answer.indexOf(i) >= 0, good = data.correct.indexOf(i) >= 0;
        if (chosen) mark(row, good, good ? "right" : "wrong");
        else if (good && reveal) mark(row, true, "the answer");
        if (chosen && (right || !good) && data.optionFeedback[i]) lines.push(data.optionFeedback[i]);
      });
      if (!right && !reveal && type === "multiple" && !lines.length &&
          answer.every(function (i) { return data.correct.indexOf(i) >= 0; })) {
        lines.push("Some correct options are not chosen yet.");
      }
    } else {
      var rows = item.querySelectorAll(".quizkit-row"), expected = null;
      if (type === "order") expected = data.positions;
      if (type === "match") expected = data.matches;
      rows.forEach(function (row, i) {
        var ok, shown;
        if (expected) {
          ok = answer[i] !== "" && Number(answer[i]) === expected[i];
          shown = type === "order" ? String(expected[i])
            : row.querySelector("select").options[expected[i] + 1].text;
        } else {
          ok = right;
          shown = type === "numeric" ? data.value + (data.tolerance ? " (\u00b1 " + data.tolerance + ")" : "")
            : data.show;
        }
        if (!ok) wrongRows.push(i + 1);
        if (answer[i] !== "" || reveal) mark(row, ok, ok ? "right" : reveal ? "answer: " + shown : "wrong");
      });
      if (expected && wrongRows.length && !reveal) {
        lines.push((wrongRows.length > 1 ? "Rows " : "Row ") + wrongRows.join(", ") +
          (wrongRows.length > 1 ? " are" : " is") + " not right yet.");
      }
      var general = right ? data.feedback.correct : data.feedback.incorrect;
      if (general) lines.push(general);
    }
    return lines;
  }

  function mark(row, ok, text) {
    row.classList.add(ok ? "is-right" : "is-wrong");
    row.appendChild(el("span", "quizkit-mark", (ok ? "\u2713 " : "\u2717 ") + text));
  }

  function clearMarks(item) {
    item.querySelectorAll(".quizkit-mark").forEach(function (m) { m.remove(); });
    item.querySelectorAll(".is-right, .is-wrong").forEach(function (row) {
      row.classList.remove("is-right", "is-wrong");
    });
  }

  // The explanation and the source, collapsed under "Why?".
  function why(data) {
    var details = el("details", "quizkit-why"), src = data.source;
    details.appendChild(el("summary", "", "Why?"));
    details.appendChild(el("p", "", data.explanation));
    var line = el("p", "", "Source: "), label = src.label || src.id;
    if (src.href) {
      var link = el("a", "", label);
      link.href = src.href;
      line.appendChild(link);
    } else {
      line.appendChild(document.createTextNode(label));
    }
    line.appendChild(document.createTextNode(src.quote ? ", \u201c" + src.quote + "\u201d"
      : src.locator ? ", " + src.locator : ""));
    details.appendChild(line);
    return details;
  }

  function setupQuiz(quiz) {
    var items = Array.prototype.slice.call(quiz.querySelectorAll(".quizkit-item"));
    var score = quiz.querySelector(".quizkit-score");
    var results = {}, resets = [];

    function updateScore() {
      var answered = 0, right = 0;
      items.forEach(function (it) {
        if (results[it.id] !== undefined) answered++;
        if (results[it.id]) right++;
      });
      score.textContent = answered + " of " + items.length + " answered, " + right + " correct";
    }

    items.forEach(function (item) {
      var id = item.getAttribute("data-qk-item"), type = item.getAttribute("data-qk-type");
      var key = "quizkit:" + window.location.pathname + ":" + id;
      var box = item.querySelector(".quizkit-feedback");
      var retry = item.querySelector(".quizkit-retry"), show = item.querySelector(".quizkit-show");
      var data = null, checkedAnswer = null, tries = 0, revealed = false;

      function save(answer) {
        if (answer === null && !tries && !revealed) store.remove(key);
        else store.set(key, { answer: answer, checked: checkedAnswer !== null, tries: tries,
                              revealed: revealed });
      }

      function clearFeedback() {
        checkedAnswer = null;
        box.textContent = "";
        box.className = "quizkit-feedback";
        clearMarks(item);
        delete results[item.id];
      }

      function say(lines, cls, extra) {
        box.textContent = "";
        box.className = "quizkit-feedback " + cls;
        lines.forEach(function (text) { box.appendChild(el("p", "", text)); });
        if (extra) box.appendChild(extra);
      }

      function blank() {
        if (type === "single" || type === "multiple") return [];
        if (type === "numeric" || type === "text") return [""];
        return controls(item).map(function () { return ""; });
      }

      function check(quietly, answer) {
        if (answer === undefined) answer = readAnswer(item, type);
        var incomplete = answer !== null && type !== "single" && type !== "multiple" &&
          Array.isArray(answer) && answer.indexOf("") >= 0;
        if (!revealed && (answer === null || incomplete)) {
          say([answer === null ? "Give an answer first." : "Complete every row first."], "is-pending");
          return;
        }
        data = data || decode(id, item.getAttribute("data-qk"));
        var given = answer === null ? blank() : (type === "numeric" || type === "text") ? [answer] : answer;
        var right = answer !== null && !incomplete && isRight(data, type, answer);
        if (!right && !quietly && answer !== null) tries++;
        var reveal = !right && (revealed || tries >= 2);
        clearMarks(item);
        var lines = markAndExplain(item, data, type, given, right, reveal);
        lines.unshift(right ? "Correct." : reveal ? "Not quite: the answer is marked."
          : "Not quite. Change your answer and check again, or choose Show answer.");
        say(lines, right ? "is-correct" : "is-incorrect", right || reveal ? why(data) : null);
        retry.hidden = false;
        show.hidden = right || reveal;
        results[item.id] = right;
        checkedAnswer = JSON.stringify(answer);
        if (!quietly) save(answer);
        updateScore();
      }

      function reset() {
        controls(item).forEach(function (c) {
          if (c.type === "radio" || c.type === "checkbox") c.checked = false;
          else c.value = "";
        });
        clearFeedback();
        tries = 0;
        revealed = false;
        retry.hidden = show.hidden = true;
        store.remove(key);
      }
      resets.push(reset);

      item.querySelector(".quizkit-check").addEventListener("click", function () { check(false); });
      show.addEventListener("click", function () {
        revealed = true;
        check(false, readAnswer(item, type));
        save(readAnswer(item, type));
      });
      retry.addEventListener("click", function () {
        reset();
        updateScore();
        controls(item)[0].focus();
      });
      controls(item).forEach(function (c) {
        c.addEventListener("change", function () {
          var answer = readAnswer(item, type);
          // A changed answer is no longer the one that was checked.
          if (box.textContent && JSON.stringify(answer) !== checkedAnswer) {
            clearFeedback();
            updateScore();
          }
          save(answer);
        });
        if (c.type === "text" || c.type === "number") {
          c.addEventListener("keydown", function (event) {
            if (event.key === "Enter") { event.preventDefault(); check(false); }
          });
        }
      });

      var saved = store.get(key);
      if (saved) {
        tries = saved.tries || 0;
        revealed = !!saved.revealed;
        if (saved.answer !== undefined && saved.answer !== null) writeAnswer(item, type, saved.answer);
        if (saved.checked) check(true, saved.answer === undefined ? null : saved.answer);
      }
    });
    quiz.querySelector(".quizkit-reset").addEventListener("click", function () {
      resets.forEach(function (reset) { reset(); });
      updateScore();
    });
    updateScore();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".quizkit-quiz"), setupQuiz);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
