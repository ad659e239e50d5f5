// Garage: light, dark or automatic (the system's) colour theme, Bootstrap 5.3 colour modes.
// Loaded in <head> before the stylesheet is used, so the page never flashes the wrong
// theme; the choice is kept in localStorage ("light", "dark" or "auto", the default).
(function () {
  "use strict";
  const KEY = "garage-theme";
  const root = document.documentElement;
  const system = window.matchMedia("(prefers-color-scheme: dark)");

  function stored() {
    try {
      const value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : "auto";
    } catch (error) {
      return "auto"; // storage blocked: follow the system
    }
  }

  function apply(choice) {
    const theme = choice === "auto" ? (system.matches ? "dark" : "light") : choice;
    root.setAttribute("data-bs-theme", theme);
    root.dataset.themeMode = choice; // what was chosen; data-bs-theme is what shows
    document.querySelectorAll("[data-theme-choice]").forEach(function (button) {
      const chosen = button.dataset.themeChoice === choice;
      button.classList.toggle("active", chosen);
      button.setAttribute("aria-pressed", String(chosen));
    });
    const current = document.querySelector("[data-theme-current]");
    const active = document.querySelector('[data-theme-choice="' + choice + '"]');
    if (current && active) current.textContent = active.dataset.themeLabel || "";
  }

  function choose(choice) {
    try {
      if (choice === "auto") window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, choice);
    } catch (error) {
      /* not remembered, still applied */
    }
    apply(choice);
  }

  apply(stored());
  system.addEventListener("change", function () {
    if (stored() === "auto") apply("auto");
  });
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(stored()); // another tab chose
  });
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    document.querySelectorAll("[data-theme-choice]").forEach(function (button) {
      button.addEventListener("click", function () {
        choose(button.dataset.themeChoice);
      });
    });
  });
})();
