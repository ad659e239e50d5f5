// Garage: site-wide behaviour. The live connection keeps the navbar badges current on
// every page; chat.js reuses the same socket (window.garage.socket).
(function () {
  "use strict";
  const body = document.body;
  const garage = (window.garage = window.garage || {});
  const baseTitle = document.title;

  // A counted phrase from the page (data-plural: {CLDR category: "… {n} …"}, written by the
  // server through ngettext), in the plural form the page's language needs for `count`.
  function pluralLabel(forms, count) {
    let category = "other";
    try {
      category = new Intl.PluralRules(document.documentElement.lang || "en").select(count);
    } catch (error) {
      /* unknown language tag: "other" */
    }
    const text = forms[category] || forms.other || "{n}";
    return text.replace("{n}", String(count));
  }

  function readCount(badge) {
    const number = badge && badge.querySelector(".live-count-number");
    return parseInt((number && number.textContent) || "0", 10) || 0;
  }

  // The navbar counters: the number is shown, "3 unread messages" is what a screen reader says.
  function setBadge(id, count) {
    const badge = document.getElementById(id);
    if (!badge) return;
    const number = badge.querySelector(".live-count-number");
    const label = badge.querySelector(".live-count-label");
    if (number) number.textContent = count > 99 ? "99+" : String(count);
    if (label) label.textContent = pluralLabel(JSON.parse(badge.dataset.plural || "{}"), count);
    badge.classList.toggle("d-none", !count);
  }

  function noticeInTitle(count) {
    document.title = count && document.hidden ? "(" + count + ") " + baseTitle : baseTitle;
  }

  garage.setBadge = setBadge;
  garage.pluralLabel = pluralLabel;

  // Translations and the time format, from the page (base.html, app/i18n/js.py).
  const i18nBlock = document.getElementById("garage-i18n");
  const i18n = (garage.i18n = i18nBlock ? JSON.parse(i18nBlock.textContent) : { strings: {} });

  // garage.t("key", {name: value}): the page's translation, %(name)s filled in.
  garage.t = function (key, params) {
    const text = (i18n.strings && i18n.strings[key]) || key;
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return params && name in params ? String(params[name]) : all;
    });
  };

  // "84 000 км": the locale's grouping and unit, as the server's |mileage.
  garage.formatMileage = function (km) {
    return new Intl.NumberFormat(i18n.locale || "ru", { style: "unit", unit: "kilometer" }).format(km);
  };

  // The hour and minute of `date` in the site's time zone, whatever the browser's zone.
  const clock = new Intl.DateTimeFormat("en-GB", {
    timeZone: i18n.timeZone || "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  // garage.formatTime(iso): the server's short time pattern (Babel's, e.g. "HH:mm" or
  // "h:mm a") applied in the site's zone, so a live time equals the one after a reload.
  garage.formatTime = function (iso) {
    const date = new Date(iso);
    if (isNaN(date)) return "";
    const parts = {};
    clock.formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    const hour = parseInt(parts.hour, 10) % 24;
    const minute = parts.minute;
    const pattern = i18n.timePattern || "HH:mm";
    return pattern.replace(/'([^']*)'|HH|H|hh|h|mm|m|a+/g, function (token, literal) {
      if (literal !== undefined) return literal;
      if (token === "HH") return String(hour).padStart(2, "0");
      if (token === "H") return String(hour);
      if (token === "hh" || token === "h") {
        const h12 = String(hour % 12 || 12);
        return token === "hh" ? h12.padStart(2, "0") : h12;
      }
      if (token === "mm") return minute;
      if (token === "m") return String(parseInt(minute, 10));
      return hour < 12 ? i18n.periods.am : i18n.periods.pm;
    });
  };

  // Share buttons (data-share-url, data-share-title): the phone's own share sheet through
  // the Web Share API on a touch screen; elsewhere the link is copied, and the status next to
  // the button says so (or shows the link to copy by hand when the clipboard is refused).
  document.addEventListener("click", function (event) {
    const button = event.target.closest(".share-button");
    if (!button) return;
    const url = button.dataset.shareUrl;
    const status = button.parentElement.querySelector(".share-status");
    const say = function (text) { if (status) status.textContent = text; };
    const byHand = function () { say(garage.t("copy_link_manually", { url: url })); };
    if (navigator.share && window.matchMedia("(pointer: coarse)").matches) {
      navigator.share({ title: button.dataset.shareTitle, url: url }).catch(function () { /* closed */ });
      return;
    }
    if (!navigator.clipboard || !window.isSecureContext) return byHand();
    navigator.clipboard.writeText(url).then(function () { say(garage.t("link_copied")); }, byHand);
  });

  // Deal-rating badges (cards, the listing page): a tap, a click or Enter opens the reasons
  // (aria-expanded; CSS also shows them on hover and keyboard focus); Escape or a tap
  // elsewhere closes them.
  function closeDeals(except) {
    document.querySelectorAll('.deal-badge[aria-expanded="true"]').forEach(function (open) {
      if (open !== except) open.setAttribute("aria-expanded", "false");
    });
  }
  document.addEventListener("click", function (event) {
    const badge = event.target.closest(".deal-badge");
    closeDeals(badge);
    if (badge) badge.setAttribute("aria-expanded", String(badge.getAttribute("aria-expanded") !== "true"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeDeals(null);
  });

  if (body.dataset.userId && window.io) {
    const socket = (garage.socket = window.io({ transports: ["websocket", "polling"] }));
    // {count}: the exact number (on connect, after reading); {new}: that many more arrived.
    socket.on("unread_count", function (data) {
      const shown = readCount(document.getElementById("unread-badge"));
      const count = typeof data.count === "number" ? data.count : shown + (data.new || 0);
      setBadge("unread-badge", count);
      noticeInTitle(count);
    });
    socket.on("notification", function (data) {
      const shown = readCount(document.getElementById("notification-badge"));
      if (typeof data.unread === "number") setBadge("notification-badge", data.unread);
      else if (data.new) setBadge("notification-badge", shown + data.new);
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) document.title = baseTitle;
    });
  }
})();
