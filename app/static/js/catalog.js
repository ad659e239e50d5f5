// Garage catalogue: dependent selects (make → model → generation, region → city),
// driven only by data attributes, so any form (a listing form, a search filter form)
// gets the behaviour by including this file and marking its selects up. No inline script.
//
// On the PARENT select:
//   data-catalog-child="#model_id"                   CSS selector of the child select
//   data-catalog-url="/catalog/brands/{id}/models"   JSON list URL; {id} becomes the parent's value
//
// On the CHILD select (all optional):
//   data-catalog-placeholder="Any model"   text of the first, empty option that is always kept
//                                           (without it, an existing first option with value ""
//                                           or "None" — a WTForms `None` choice — is kept as it is)
//   data-catalog-selected="42"             value to select after the first fill on page load
//                                           (otherwise the value the server rendered is kept)
//
// The JSON is a list of {id, name} or {id, label, ...}; `label` is shown when present,
// else `name`. The /catalog/* endpoints answer exactly that.
//
// Behaviour:
//   - When the parent changes, the child is emptied down to its placeholder and refilled
//     from the URL; grandchildren (a child that is itself a parent) are emptied and
//     disabled in turn, since nothing is chosen in the child yet.
//   - When the parent is empty, the child is emptied and disabled (a disabled select is
//     not submitted, which is what an empty filter means anyway).
//   - On page load, a child the server already filled (it has options besides the
//     placeholder) is left alone; a child with only its placeholder is filled when its
//     parent has a value, selecting data-catalog-selected or its current value. Chains
//     are handled in order, so make → model → generation all come back preselected.
//   - Out-of-order answers are ignored (only the latest request for a child counts) and
//     answers are kept in memory per URL, so going back and forth costs no new request.
//   - After each fill the child receives a bubbling "catalog:filled" event
//     (event.detail.items is the list); on a failed request it receives "catalog:error"
//     and stays enabled with only its placeholder, so the form remains usable.
//   - Selects added later can be set up with window.garage.catalog.init(rootElement).
//
// Generations by year (on a generation CHILD select):
//   data-catalog-year="#year"   the car's year input: generations not made in that year are
//                               hidden and cannot be chosen, and a chosen one that no longer
//                               fits goes back to the placeholder. The years come from the
//                               JSON items (year_from, year_to: null while still made); for
//                               options the server rendered, from the parent's URL (cached).
(function () {
  "use strict";

  const cache = new Map();
  let requestCounter = 0;

  function childOf(parent) {
    const selector = parent.dataset.catalogChild;
    if (!selector) return null;
    const root = parent.form || document;
    return root.querySelector(selector) || document.querySelector(selector);
  }

  // An empty choice: "" or "None" (WTForms renders a `None` choice as value="None").
  function isEmptyChoice(option) {
    return option.value === "" || option.value === "None";
  }

  function realOptions(select) {
    return Array.from(select.options).filter(function (option) {
      return !isEmptyChoice(option);
    });
  }

  // Empty the select down to its placeholder option (creating it from data-catalog-placeholder).
  function clearOptions(select) {
    const text = select.dataset.catalogPlaceholder;
    let placeholder = select.options.length && isEmptyChoice(select.options[0]) ? select.options[0] : null;
    if (!placeholder && text !== undefined) {
      placeholder = new Option(text, "");
    }
    if (placeholder && text !== undefined) placeholder.textContent = text;
    select.replaceChildren();
    if (placeholder) {
      select.add(placeholder);
      placeholder.selected = true;
    }
  }

  // Names come in the page's language; the language is part of the URL so that a cached
  // answer in another language is never reused.
  const lang = document.documentElement.lang;

  function fetchItems(path) {
    const url = lang ? path + (path.indexOf("?") < 0 ? "?" : "&") + "lang=" + encodeURIComponent(lang) : path;
    if (cache.has(url)) return Promise.resolve(cache.get(url));
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
      return response.json().then(function (items) {
        cache.set(url, items);
        return items;
      });
    });
  }

  function emit(select, name, detail) {
    select.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  }

  // Refill `parent`'s child from the server. `wanted` is the value to select after the fill
  // ("" after a user change). Returns a promise that settles when the whole chain below is done.
  function refill(parent, wanted) {
    const child = childOf(parent);
    if (!child) return Promise.resolve();
    const token = ++requestCounter;
    child.dataset.catalogRequest = String(token);
    clearOptions(child);
    if (isEmptyChoice(parent) || parent.disabled) {
      child.disabled = true;
      return cascade(child, "");
    }
    child.disabled = true;
    child.setAttribute("aria-busy", "true");
    const url = parent.dataset.catalogUrl.replace("{id}", encodeURIComponent(parent.value));
    return fetchItems(url).then(
      function (items) {
        if (child.dataset.catalogRequest !== String(token)) return; // a newer request won
        for (const item of items) {
          child.add(new Option(item.label || item.name, String(item.id)));
        }
        if (wanted && realOptions(child).some((option) => option.value === String(wanted))) {
          child.value = String(wanted);
        }
        child.disabled = false;
        child.removeAttribute("aria-busy");
        emit(child, "catalog:filled", { items: items });
        return cascade(child, wantedFor(childOf(child)));
      },
      function (error) {
        if (child.dataset.catalogRequest !== String(token)) return;
        child.disabled = false;
        child.removeAttribute("aria-busy");
        emit(child, "catalog:error", { error: error });
        return cascade(child, "");
      }
    );
  }

  // The value a not-yet-filled select should come back with on page load, used once.
  function wantedFor(select) {
    if (!select || select.dataset.catalogRestored) return "";
    select.dataset.catalogRestored = "1";
    return select.dataset.catalogSelected || select.value || "";
  }

  // `select` just got new contents: bring its own child (if it is a parent) in line.
  function cascade(select, wanted) {
    if (!select.dataset.catalogChild) return Promise.resolve();
    return refill(select, wanted);
  }

  // Page load: keep what the server rendered, fill what it left empty.
  function restore(parent) {
    const child = childOf(parent);
    if (!child) return Promise.resolve();
    if (isEmptyChoice(parent)) {
      child.dataset.catalogRestored = "1";
      clearOptions(child);
      child.disabled = true;
      return restoreBelow(child);
    }
    if (realOptions(child).length) {
      child.dataset.catalogRestored = "1";
      const selected = child.dataset.catalogSelected;
      if (selected && realOptions(child).some((option) => option.value === selected)) child.value = selected;
      child.disabled = false;
      return restoreBelow(child);
    }
    return refill(parent, wantedFor(child));
  }

  function restoreBelow(select) {
    return select.dataset.catalogChild ? restore(select) : Promise.resolve();
  }

  function init(root) {
    const parents = Array.from((root || document).querySelectorAll("select[data-catalog-child][data-catalog-url]"));
    const children = new Set(parents.map(childOf).filter(Boolean));
    for (const parent of parents) {
      if (parent.dataset.catalogReady) continue;
      parent.dataset.catalogReady = "1";
      parent.addEventListener("change", function () {
        refill(parent, "");
      });
    }
    // Start each chain at its top (a parent that is nobody's child); restore walks down.
    return Promise.all(parents.filter((parent) => !children.has(parent)).map(restore));
  }

  // --- generations that fit the year -------------------------------------------------
  function yearsOf(items) {
    const years = new Map();
    for (const item of items) {
      if (typeof item.year_from === "number") years.set(String(item.id), [item.year_from, item.year_to]);
    }
    return years;
  }

  function filterByYear(select, input) {
    const year = /^[0-9]{4}$/.test(input.value.trim()) ? Number(input.value.trim()) : null;
    const years = select.catalogYears || new Map();
    for (const option of realOptions(select)) {
      const range = years.get(option.value);
      const fits = !year || !range || (range[0] <= year && (range[1] === null || year <= range[1]));
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) select.selectedIndex = 0;
    }
  }

  function initYearFilter(select) {
    const input = document.querySelector(select.dataset.catalogYear);
    if (!input || select.dataset.catalogYearReady) return;
    select.dataset.catalogYearReady = "1";
    const apply = function () { filterByYear(select, input); };
    input.addEventListener("input", apply);
    input.addEventListener("change", apply);
    select.addEventListener("catalog:filled", function (event) {
      select.catalogYears = yearsOf(event.detail.items);
      apply();
    });
    // Options the server rendered: their years come from the same JSON (one cached request).
    const parent = document.querySelector('select[data-catalog-child="#' + select.id + '"]');
    if (realOptions(select).length && parent && !isEmptyChoice(parent)) {
      fetchItems(parent.dataset.catalogUrl.replace("{id}", encodeURIComponent(parent.value))).then(
        function (items) { select.catalogYears = yearsOf(items); apply(); },
        function () {} // without the years every generation stays choosable; the server checks
      );
    }
  }

  function initYearFilters(root) {
    (root || document).querySelectorAll("select[data-catalog-year]").forEach(initYearFilter);
  }

  const garage = (window.garage = window.garage || {});
  garage.catalog = { init: init, refill: refill };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      initYearFilters(document);
      init(document);
    });
  } else {
    initYearFilters(document);
    init(document);
  }
})();
