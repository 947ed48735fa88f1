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

  function feedbackLines(data, type, answer, right) {
    var lines = [right ? "Correct." : "Not quite."];
    if (type === "single" || type === "multiple") {
      answer.forEach(function (i) {
        var wrongChoice = data.correct.indexOf(i) < 0;
        if ((right || wrongChoice) && data.optionFeedback[i]) lines.push(data.optionFeedback[i]);
      });
      if (!right && type === "multiple" && lines.length === 1) {
        lines.push("Some correct options are not chosen yet.");
      }
    } else if (right ? data.feedback.correct : data.feedback.incorrect) {
      lines.push(right ? data.feedback.correct : data.feedback.incorrect);
    }
    if (right) {
      lines.push(data.explanation);
      var src = data.source;
      lines.push("Source: " + src.id + (src.quote ? ", \u201c" + src.quote + "\u201d"
        : src.locator ? ", " + src.locator : ""));
    } else {
      lines.push("Change your answer, or choose Try again to start over.");
    }
    return lines;
  }

  function setupQuiz(quiz) {
    var items = Array.prototype.slice.call(quiz.querySelectorAll(".quizkit-item"));
    var score = quiz.querySelector(".quizkit-score");
    var results = {};

    function updateScore() {
      var right = items.filter(function (it) { return results[it.id]; }).length;
      score.textContent = right + " of " + items.length + " correct";
    }

    items.forEach(function (item) {
      var id = item.getAttribute("data-qk-item"), type = item.getAttribute("data-qk-type");
      var key = "quizkit:" + window.location.pathname + ":" + id;
      var box = item.querySelector(".quizkit-feedback");
      var retry = item.querySelector(".quizkit-retry");
      var data = null, checkedAnswer = null;

      function clearFeedback() {
        checkedAnswer = null;
        box.textContent = "";
        box.className = "quizkit-feedback";
        retry.hidden = true;
        results[item.id] = false;
      }

      function say(lines, cls) {
        box.textContent = "";
        box.className = "quizkit-feedback " + cls;
        lines.forEach(function (text) {
          var p = document.createElement("p");
          p.textContent = text;
          box.appendChild(p);
        });
      }

      function check(quietly) {
        var answer = readAnswer(item, type);
        if (answer === null || (Array.isArray(answer) && type !== "single" &&
            type !== "multiple" && answer.indexOf("") >= 0)) {
          say([answer === null ? "Give an answer first." : "Complete every row first."], "is-pending");
          return;
        }
        data = data || decode(id, item.getAttribute("data-qk"));
        var right = isRight(data, type, answer);
        say(feedbackLines(data, type, answer, right), right ? "is-correct" : "is-incorrect");
        retry.hidden = false;
        results[item.id] = right;
        checkedAnswer = JSON.stringify(answer);
        if (!quietly) store.set(key, { answer: answer, checked: true });
        updateScore();
      }

      item.querySelector(".quizkit-check").addEventListener("click", function () { check(false); });
      retry.addEventListener("click", function () {
        controls(item).forEach(function (c) {
          if (c.type === "radio" || c.type === "checkbox") c.checked = false;
          else c.value = "";
        });
        clearFeedback();
        store.remove(key);
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
          if (answer === null) store.remove(key);
          else store.set(key, { answer: answer, checked: checkedAnswer !== null });
        });
        if (c.type === "text" || c.type === "number") {
          c.addEventListener("keydown", function (event) {
            if (event.key === "Enter") { event.preventDefault(); check(false); }
          });
        }
      });

      var saved = store.get(key);
      if (saved && saved.answer !== undefined && saved.answer !== null) {
        writeAnswer(item, type, saved.answer);
        if (saved.checked) check(true);
      }
    });
    updateScore();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".quizkit-quiz"), setupQuiz);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
