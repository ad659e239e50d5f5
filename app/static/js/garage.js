// Garage: site-wide behaviour. The live connection keeps the navbar badges current on
// every page; chat.js reuses the same socket (window.garage.socket).
(function () {
  "use strict";
  const body = document.body;
  const garage = (window.garage = window.garage || {});
  const baseTitle = document.title;

  function setBadge(id, count) {
    const badge = document.getElementById(id);
    if (!badge) return;
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.classList.toggle("d-none", !count);
  }

  function noticeInTitle(count) {
    document.title = count && document.hidden ? "(" + count + ") " + baseTitle : baseTitle;
  }

  garage.setBadge = setBadge;

  if (body.dataset.userId && window.io) {
    const socket = (garage.socket = window.io({ transports: ["websocket", "polling"] }));
    // {count}: the exact number (on connect, after reading); {new}: that many more arrived.
    socket.on("unread_count", function (data) {
      const badge = document.getElementById("unread-badge");
      const shown = parseInt((badge && badge.textContent) || "0", 10) || 0;
      const count = typeof data.count === "number" ? data.count : shown + (data.new || 0);
      setBadge("unread-badge", count);
      noticeInTitle(count);
    });
    socket.on("notification", function (data) {
      const badge = document.getElementById("notification-badge");
      const shown = parseInt((badge && badge.textContent) || "0", 10) || 0;
      if (typeof data.unread === "number") setBadge("notification-badge", data.unread);
      else if (data.new) setBadge("notification-badge", shown + data.new);
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) document.title = baseTitle;
    });
  }
})();
