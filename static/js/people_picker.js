// The people picker (teams/people.py, templates/teams/_people_picker.html) as the WAI-ARIA
// Authoring Practices' "editable combobox with list autocomplete": focus stays in the text
// field, aria-activedescendant points at the option the arrows chose, Enter takes it, Escape
// closes the list (and a second Escape clears the field). htmx fetches the matches; this
// script only adds the keyboard, the choosing and the announcements. Without it the same
// markup is a search field with a submit button.
(function () {
  "use strict";

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_match, key) { return values[key]; });
  }

  function enhance(picker) {
    if (picker.dataset.enhanced) { return; }
    picker.dataset.enhanced = "true";
    var input = picker.querySelector(".people-picker__input");
    var listbox = document.getElementById(input.dataset.listbox);
    var status = document.getElementById(input.dataset.status);
    var chosen = picker.querySelector(".people-picker__chosen");
    var multiple = picker.dataset.multiple === "true";
    var active = -1;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function options() { return Array.prototype.slice.call(listbox.querySelectorAll("[role=option]")); }

    function announce(text) { status.textContent = text; }

    function open() {
      if (!options().length) { return; }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(index) {
      var all = options();
      active = index;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        option.classList.toggle("people-picker__option--active", i === index);
      });
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function chip(value, label) {
      var item = document.createElement("li");
      item.className = "people-picker__chip";
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = picker.dataset.name;
      hidden.value = value;
      var name = document.createElement("span");
      name.className = "people-picker__name";
      name.textContent = label;
      var remove = document.createElement("button");
      remove.type = "submit";
      remove.className = "people-picker__remove";
      remove.textContent = picker.dataset.removeText;
      var spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      spoken.textContent = " " + label;
      remove.appendChild(spoken);
      item.append(hidden, name, remove);
      return item;
    }

    function choose(option) {
      var value = option.dataset.value;
      var label = option.dataset.label;
      var present = chosen.querySelector("input[value='" + value + "']");
      if (!present) {
        if (!multiple) { chosen.textContent = ""; }
        chosen.appendChild(chip(value, label));
      }
      input.value = "";
      listbox.textContent = "";
      close();
      announce(format(picker.dataset.chosenText, {name: label}));
      input.focus();
    }

    input.addEventListener("htmx:configRequest", function (event) {
      // The endpoint reads the words as `q`, whatever the form calls the field.
      var parameters = event.detail.parameters;
      delete parameters[input.name];
      parameters.q = input.value;
    });

    listbox.addEventListener("htmx:afterSwap", function () {
      var all = options();
      all.forEach(function (option, i) { option.id = listbox.id + "-" + i; });
      setActive(-1);
      if (all.length) { open(); } else { close(); }
      var count = all.length;
      announce(count === 0 ? picker.dataset.statusNone
        : count === 1 ? picker.dataset.statusOne
        : format(picker.dataset.statusMany, {count: count}));
    });

    input.addEventListener("keydown", function (event) {
      var all = options();
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!all.length) { return; }
          open();
          setActive(active + 1 < all.length ? active + 1 : 0);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!all.length) { return; }
          open();
          setActive(active > 0 ? active - 1 : all.length - 1);
          break;
        case "Enter":
          // Enter chooses; it never sends the form from the search field.
          event.preventDefault();
          if (!listbox.hidden && active >= 0) { choose(all[active]); }
          break;
        case "Escape":
          if (!listbox.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            listbox.textContent = "";
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      // After a click on an option has had its turn.
      window.setTimeout(close, 200);
    });

    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();  // keeps the focus in the field
    });

    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { choose(option); }
    });

    chosen.addEventListener("click", function (event) {
      var button = event.target.closest(".people-picker__remove");
      if (!button) { return; }
      event.preventDefault();
      var item = button.closest(".people-picker__chip");
      var label = item.querySelector(".people-picker__name").textContent;
      item.remove();
      announce(format(picker.dataset.removedText, {name: label}));
      input.focus();
    });
  }

  // Enter in another field of the form sends it with its own button, as it would without the
  // pickers: the pickers' search buttons come first in the form, for use without JavaScript.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !field.form || field.tagName !== "INPUT" ||
        field.classList.contains("people-picker__input") || field.type === "submit") { return; }
    if (!field.form.querySelector("[data-people-picker][data-enhanced]")) { return; }
    var own = Array.prototype.filter.call(
      field.form.querySelectorAll("button[type=submit], input[type=submit]"),
      function (button) { return !button.closest("[data-people-picker]"); })[0];
    event.preventDefault();
    if (own) { field.form.requestSubmit(own); }
  });

  function enhanceAll(root) {
    (root || document).querySelectorAll("[data-people-picker]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.detail.elt); });
}());
