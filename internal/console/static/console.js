// cognitod console: progressive enhancement only; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Region menu: switch as soon as a region is picked.
  for (const el of document.querySelectorAll("select[data-autosubmit]")) {
    el.addEventListener("change", () => el.form.submit());
  }
  // Ask before destructive actions.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (e) => {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  }
  // Resource server form: add scope rows beyond the blank ones.
  const add = document.querySelector("[data-add-scope]");
  const rows = document.getElementById("scope-rows");
  if (add && rows) {
    add.hidden = false;
    add.addEventListener("click", () => {
      const last = rows.lastElementChild;
      const next = last.cloneNode(true);
      const index = rows.children.length;
      for (const input of next.querySelectorAll("input")) {
        input.name = input.name.replace(/_\d+$/, "_" + index);
        if (input.type === "checkbox") input.checked = false; else input.value = "";
      }
      rows.appendChild(next);
      next.querySelector("input").focus();
    });
  }
});
