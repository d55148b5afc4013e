// The create-license form as a wizard that follows the guide's steps. The rules (what each
// product allows, each field's limits) come from the server's catalog and schema in
// #license-rules. Without this script the same form posts as a plain HTML form.
(function () {
  "use strict";

  var root = document.querySelector("[data-license-form]");
  if (!root) return;
  var rules = JSON.parse(document.getElementById("license-rules").textContent);
  var form = root.querySelector("[data-wizard]");
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  var progress = root.querySelector("[data-wizard-progress]");
  var nav = form.querySelector("[data-wizard-nav]");
  var back = form.querySelector("[data-back]");
  var next = form.querySelector("[data-next]");
  var submit = form.querySelector("[data-submit]");
  var summary = root.querySelector("#error-summary");
  var summaryList = summary.querySelector("[data-error-list]");
  var status = form.querySelector("[data-form-status]");
  var rowsBox = form.querySelector("[data-operator-rows]");
  var addRow = form.querySelector("[data-add-operator]");
  var signedOutNote = root.querySelector("[data-session-signed-out-note]");
  var current = 0;
  var sending = false;
  var lastPayload = null;
  var key = null;

  function value(name) {
    var field = form.elements[name];
    if (!field) return "";
    return (field.value || "").trim();
  }

  function labelOf(name) {
    var row = /^operators-(\d+)-(email|role)$/.exec(name);
    if (row) return "Invited user " + (Number(row[1]) + 1) + ": " + (row[2] === "email" ? "Email" : "Role");
    var box = form.querySelector('[data-field="' + name + '"]');
    var label = box && box.querySelector("legend, label");
    return label ? label.childNodes[0].textContent.trim() : name;
  }

  // --- which steps apply: the catalog decides, never the product's name ---------------
  function invitesAllowed() {
    var product = rules.products[value("product")];
    return !product || !value("payment_origin") || Boolean(product.invites[value("payment_origin")]);
  }

  // The chosen product's procedure in the guide: its steps, numbered as the guide numbers them.
  function procedure() {
    return rules.procedures[value("product")] || rules.step_order;
  }

  function inProcedure(step) {
    return procedure().indexOf(step.dataset.step) !== -1;
  }

  function activeSteps() {
    return steps.filter(function (step) {
      return inProcedure(step) && (step.dataset.requires !== "invites" || invitesAllowed());
    });
  }

  function numberOf(step) {
    return procedure().indexOf(step.dataset.step) + 1;
  }

  function applyRules() {
    steps.forEach(function (step) {
      var applies = activeSteps().indexOf(step) !== -1;
      step.querySelectorAll("input, select").forEach(function (el) { el.disabled = !applies; });
    });
  }

  function show(index) {
    var active = activeSteps();
    current = Math.max(0, Math.min(index, active.length - 1));
    steps.forEach(function (step) {
      step.hidden = step !== active[current];
      if (inProcedure(step)) step.querySelector("[data-step-number]").textContent = "Step " + numberOf(step);
    });
    progress.textContent = "";
    active.forEach(function (step, i) {
      var item = document.createElement("li");
      item.textContent = numberOf(step) + ". " + step.dataset.title;
      if (i === current) item.setAttribute("aria-current", "step");
      progress.appendChild(item);
    });
    back.hidden = current === 0;
    next.hidden = current === active.length - 1;
    submit.hidden = !next.hidden;
    if (next.hidden) review();
  }

  function focusStep() {
    var step = activeSteps()[current];
    step.tabIndex = -1;
    step.focus();
  }

  // --- validation mirroring the server's schema ------------------------------------------
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

  // The messages come with the rules, from the server's one source (web/messages.py), so a
  // page with and without this script words the same error the same way.
  function say(key, values) {
    return rules.messages[key].replace(/\{(\w+)\}/g, function (whole, name) {
      return values[name] !== undefined ? String(values[name]) : whole;
    });
  }

  function check(name, text, rule) {
    var values = Object.assign({ label: labelOf(name).toLowerCase() }, rule);
    if (!text) return rule.required ? say(rule.choices ? "choose" : "required", values) : null;
    if (rule.kind === "email" && !EMAIL.test(text)) return say("email", values);
    if (rule.kind === "integer") {
      var number = Number(text);
      if (!/^\d+$/.test(text) || number < rule.min || number > rule.max) return say("whole_number", values);
    }
    if (rule.min_length && text.length < rule.min_length) return say("min_length", values);
    if (rule.max_length && text.length > rule.max_length) return say("max_length", values);
    if (rule.choices && rule.choices.indexOf(text) === -1) return say("choice", values);
    return null;
  }

  function errorsIn(step) {
    var errors = {};
    step.querySelectorAll("[data-field]").forEach(function (box) {
      var name = box.dataset.field;
      var row = /^operators-(\d+)-(email|role)$/.exec(name);
      var rule = name === "product" ? { required: true, choices: Object.keys(rules.products) }
        : row ? rules.operator_fields[row[2]] : rules.fields[name];
      if (!rule) return;
      if (row && !value("operators-" + row[1] + "-email")) return; // a blank row is skipped
      var problem = check(name, value(name), rule);
      if (problem) errors[name] = [problem];
    });
    if (step.dataset.step === "invite") {
      var seen = [value("client_email").toLowerCase()];
      operatorRows().forEach(function (row, index) {
        var email = value("operators-" + index + "-email").toLowerCase();
        if (email && seen.indexOf(email) !== -1) errors["operators-" + index + "-email"] = [say("invited_twice", {})];
        seen.push(email);
      });
    }
    return errors;
  }

  // --- showing errors: next to each field and in the summary ---------------------------
  function clearErrors() {
    form.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    form.querySelectorAll(".field-error").forEach(function (el) { el.hidden = true; el.textContent = ""; });
    summaryList.textContent = "";
    summary.hidden = true;
  }

  function showErrors(errors) {
    clearErrors();
    Object.keys(errors).forEach(function (name) {
      var text = errors[name].join(" ");
      var item = document.createElement("li");
      var box = form.querySelector('[data-field="' + name + '"]') || (name === "operators" ? form.querySelector("#operators") : null);
      if (box) {
        box.classList.add("has-error");
        var message = box.querySelector("#" + name + "-error");
        if (message) {
          message.hidden = false;
          message.innerHTML = '<span class="visually-hidden">Error:</span> ';
          message.appendChild(document.createTextNode(text));
        }
        box.querySelectorAll("input, select").forEach(function (el) { el.setAttribute("aria-invalid", "true"); });
        var link = document.createElement("a");
        link.href = "#" + name;
        link.textContent = labelOf(name) + ": " + text;
        item.appendChild(link);
      } else {
        item.textContent = text;
      }
      summaryList.appendChild(item);
    });
    summary.hidden = Object.keys(errors).length === 0;
  }

  function stepOf(name) {
    var target = document.getElementById(name);
    return target ? target.closest("[data-step]") : null;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    var step = target && target.closest("[data-step]");
    if (!step) return;
    event.preventDefault();
    show(activeSteps().indexOf(step));
    (target.matches("fieldset") ? target.querySelector("input, select") || target : target).focus();
  });

  function goToFirstError(errors) {
    var names = Object.keys(errors);
    var step = names.map(stepOf).filter(Boolean)[0];
    if (step) show(activeSteps().indexOf(step));
    summary.focus();
  }

  // --- invited users: rows added on demand ----------------------------------------------
  function operatorRows() {
    // The form the server renders again for a product without the invite step has no rows.
    if (!rowsBox) return [];
    return Array.prototype.slice.call(rowsBox.querySelectorAll("[data-operator-row]"));
  }

  function renumber(row, index) {
    row.querySelector("legend").textContent = "Invited user " + (index + 1);
    row.querySelectorAll("[id], [for], [name], [aria-describedby], [data-field]").forEach(function (el) {
      ["id", "for", "name", "aria-describedby", "data-field"].forEach(function (attr) {
        var old = el.getAttribute(attr);
        if (old) el.setAttribute(attr, old.replace(/operators-\d+-/g, "operators-" + index + "-"));
      });
    });
  }

  function addOperator() {
    var rows = operatorRows();
    var row = rows[0].cloneNode(true);
    row.querySelectorAll("input").forEach(function (el) { el.value = ""; });
    row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = el.options.length - 1; });
    renumber(row, rows.length);
    rowsBox.appendChild(row);
    addRow.hidden = rows.length + 1 >= Number(rowsBox.dataset.max);
    row.querySelector("input").focus();
  }

  // Without script the page offers a few blank rows; with it, one row and "Add another user".
  function trimBlankRows() {
    if (!rowsBox) return;
    var rows = operatorRows();
    for (var i = rows.length - 1; i > 0 && !rows[i].querySelector("input").value.trim(); i--) rows[i].remove();
    addRow.hidden = operatorRows().length >= Number(rowsBox.dataset.max);
  }

  // --- review and submit -------------------------------------------------------------------
  function payload() {
    var body = { product: value("product"), website: value("website") };
    ["payment_origin", "client_name", "client_email", "organization_name", "identifier", "purchase_order", "data_center"].forEach(
      function (name) { if (value(name)) body[name] = value(name); }
    );
    if (value("trial_duration")) body.trial_duration = Number(value("trial_duration"));
    if (invitesAllowed()) {
      var operators = [];
      operatorRows().forEach(function (row, index) {
        var email = value("operators-" + index + "-email");
        if (email) operators.push({ email: email, role: value("operators-" + index + "-role") });
      });
      if (operators.length) body.operators = operators;
    }
    return body;
  }

  function checkedLabel(name) {
    var label = form.querySelector('input[name="' + name + '"]:checked + label');
    return label ? label.textContent : "";
  }

  function review() {
    var list = form.querySelector("[data-review]");
    var body = payload();
    var product = rules.products[body.product];
    var center = rules.data_centers[body.data_center];
    var rows = [
      ["Product", product ? product.name : ""],
      ["Subscription", checkedLabel("payment_origin")],
      ["Customer", (body.client_name || "") + " (" + (body.client_email || "") + ")"],
      ["Data region", center ? center.label : ""],
      ["Trial", (body.trial_duration || rules.trial.default_days) + " days"],
    ];
    // Only where the invite step was one of the steps: a ChatBot license has none.
    var inviteStep = steps.filter(function (step) { return step.dataset.step === "invite"; })[0];
    if (inviteStep && activeSteps().indexOf(inviteStep) !== -1) {
      rows.push(["Invited users", body.operators ? body.operators.map(function (o) { return o.email + " (" + o.role + ")"; }).join(", ") : "None"]);
    }
    list.textContent = "";
    rows.forEach(function (pair) {
      var term = document.createElement("dt");
      term.textContent = pair[0];
      var detail = document.createElement("dd");
      detail.textContent = pair[1];
      list.appendChild(term);
      list.appendChild(detail);
    });
    list.hidden = false;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // Server field names count operators as sent; map them back to the rows they came from.
  function rowNames(fields) {
    var sentRows = operatorRows().map(function (row, index) { return index; }).filter(function (index) {
      return Boolean(value("operators-" + index + "-email"));
    });
    var mapped = {};
    Object.keys(fields || {}).forEach(function (name) {
      var m = /^operators-(\d+)-(.+)$/.exec(name);
      var target = m && sentRows[Number(m[1])] !== undefined ? "operators-" + sentRows[Number(m[1])] + "-" + m[2] : name;
      mapped[target === "_form" ? "form" : target] = fields[name];
    });
    return mapped;
  }

  // A duplicate customer: the server names the license they already have; link it at the
  // email, as the page without script does.
  function linkExisting(href) {
    var message = form.querySelector("#client_email-error");
    if (!message || href.charAt(0) !== "/" || href.charAt(1) === "/") return;
    var link = document.createElement("a");
    link.href = href;
    link.setAttribute("data-existing-license", "");
    link.textContent = "Open the existing license";
    message.appendChild(document.createTextNode(" "));
    message.appendChild(link);
  }

  function send() {
    var body = payload();
    var serialized = JSON.stringify(body);
    if (serialized !== lastPayload) { key = newKey(); lastPayload = serialized; } // same answers, same key
    sending = true;
    submit.disabled = true;
    status.textContent = "Creating the license\u2026";
    fetch(form.getAttribute("action"), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": key },
      body: serialized,
    })
      .then(function (response) {
        return response.json().then(function (answer) { return { status: response.status, answer: answer }; });
      })
      .then(function (result) {
        if (result.status === 201 || result.status === 202) {
          status.textContent = "License created. Opening it\u2026";
          window.location.assign(result.answer.location);
          return;
        }
        var error = result.answer.error || {};
        if (result.status === 401 && signedOutNote) signedOutNote.hidden = false;
        var errors = rowNames(error.fields);
        if (!Object.keys(errors).length) errors = { form: [error.message || "Something went wrong; please try again."] };
        status.textContent = "";
        showErrors(errors);
        if (error.existing_license) linkExisting(error.existing_license);
        goToFirstError(errors);
      })
      .catch(function () {
        status.textContent = "";
        showErrors({ form: ["We could not reach the server. Try again: you will not get the license twice."] });
        summary.focus();
      })
      .then(function () { sending = false; submit.disabled = false; });
  }

  // --- wiring ---------------------------------------------------------------------------------
  form.noValidate = true; // our messages, next to the fields, replace the browser's bubbles
  form.setAttribute("data-scripted", ""); // the steps are numbered here, not by procedures.css
  nav.hidden = false;
  progress.hidden = false;
  trimBlankRows();
  applyRules();
  show(0);

  form.addEventListener("change", function (event) {
    if (event.target.name === "product" || event.target.name === "payment_origin") {
      var step = activeSteps()[current];
      applyRules();
      show(activeSteps().indexOf(step));
    }
  });

  next.addEventListener("click", function () {
    var errors = errorsIn(activeSteps()[current]);
    if (Object.keys(errors).length) { showErrors(errors); summary.focus(); return; }
    clearErrors();
    show(current + 1);
    focusStep();
  });

  back.addEventListener("click", function () { clearErrors(); show(current - 1); focusStep(); });
  if (addRow) addRow.addEventListener("click", addOperator);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) return; // a double click sends once (and the key would replay it anyway)
    if (!submit.hidden) {
      var errors = {};
      activeSteps().forEach(function (step) { Object.assign(errors, errorsIn(step)); });
      if (Object.keys(errors).length) { showErrors(errors); goToFirstError(errors); return; }
      clearErrors();
      send();
    } else {
      next.click(); // Enter in a field moves on, as the Next button does
    }
  });

  if (!summary.hidden) {
    // The server sent the form back with errors: start where the first one is.
    var first = summary.querySelector("a[href^='#']");
    var step = first && stepOf(first.getAttribute("href").slice(1));
    if (step) show(activeSteps().indexOf(step));
  }

  (window.partnerSession || Promise.resolve(null)).then(function (state) {
    if (!state) return;
    if (signedOutNote) signedOutNote.hidden = state.signed_in;
    form.hidden = !state.signed_in;
    progress.hidden = !state.signed_in;
  });
})();
