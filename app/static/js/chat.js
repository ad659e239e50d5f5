// Garage chat: one conversation page. Uses the site-wide socket (window.garage.socket).
// - join_chat on every (re)connect; the server decides the room.
// - every message has a client_id: a resend after a lost ack is not a duplicate.
// - the sync mark (last id seen) is taken when the connection drops, then `sync` fetches
//   what arrived meanwhile; messages are de-duplicated by id.
(function () {
  "use strict";
  const root = document.getElementById("chat");
  const garage = window.garage || {};
  const socket = garage.socket;
  if (!root || !socket) return;

  const d = root.dataset;
  const other = d.with;
  const me = d.me;
  const log = document.getElementById("chat-log");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-input");
  const fileInput = document.getElementById("chat-image");
  const errorBox = document.getElementById("chat-error");
  const typingBox = document.getElementById("chat-typing");
  const statusBadge = document.getElementById("chat-status");
  const olderHint = document.getElementById("chat-older");
  const baseTitle = document.title;

  let conversationId = d.conversationId ? parseInt(d.conversationId, 10) : null;
  let listingId = d.listingId ? parseInt(d.listingId, 10) : null;
  let lastId = 0; // highest message id shown
  let firstId = null; // lowest message id shown (for older history)
  let syncMark = null; // lastId when the connection dropped
  let hasOlder = olderHint && !olderHint.classList.contains("d-none");
  let loadingOlder = false;
  let unseen = 0;
  let lastTypingSent = 0;
  let typingTimer = null;
  const pending = new Map(); // client_id -> payload not yet acknowledged

  log.querySelectorAll(".chat-msg").forEach(function (el) {
    const id = parseInt(el.dataset.id, 10);
    lastId = Math.max(lastId, id);
    firstId = firstId === null ? id : Math.min(firstId, id);
  });

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function timeText(iso) {
    const date = new Date(iso);
    return isNaN(date) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function listingCard(card) {
    const link = el("a", "chat-listing card text-reset text-decoration-none mb-2");
    link.href = card.url;
    const row = el("div", "d-flex gap-2 p-2");
    if (card.thumb_url) {
      const img = el("img", "rounded");
      img.src = card.thumb_url;
      img.alt = "";
      img.width = 80;
      img.height = 60;
      row.appendChild(img);
    }
    const text = el("div", "small");
    text.appendChild(el("div", "fw-semibold", card.title));
    text.appendChild(el("div", "", card.price_text));
    const details = [card.year, card.mileage_km != null ? card.mileage_km + " " + d.tKm : null, card.city];
    text.appendChild(el("div", "text-body-secondary", details.filter(Boolean).join(" · ")));
    row.appendChild(text);
    link.appendChild(row);
    return link;
  }

  function ticks(span, read) {
    span.textContent = read ? "✓✓" : "✓";
    span.title = read ? d.tRead : d.tDelivered;
    span.classList.toggle("read", !!read);
  }

  function render(m, state) {
    const mine = m.sender === me;
    const wrap = el("div", "chat-msg " + (mine ? "mine" : "theirs"));
    if (m.id) {
      wrap.id = "m-" + m.id;
      wrap.dataset.id = m.id;
    }
    wrap.dataset.clientId = m.client_id;
    wrap.dataset.sender = m.sender;
    const bubble = el("div", "chat-bubble");
    if (m.removed) {
      bubble.appendChild(el("div", "chat-body fst-italic text-body-secondary", "—"));
    } else {
      if (m.listing) bubble.appendChild(listingCard(m.listing));
      if (m.image) {
        const a = el("a", "chat-image");
        a.href = m.image.full;
        a.target = "_blank";
        a.rel = "noopener";
        const img = el("img");
        img.src = m.image.thumb;
        img.alt = d.tPicture;
        a.appendChild(img);
        bubble.appendChild(a);
      }
      if (m.body) bubble.appendChild(el("div", "chat-body", m.body));
    }
    const meta = el("div", "chat-meta");
    const time = el("time", "", m.created_at ? timeText(m.created_at) : "");
    if (m.created_at) time.dateTime = m.created_at;
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(" "));
    if (mine) {
      const span = el("span", "chat-ticks");
      if (state === "sending") span.textContent = d.tSending;
      else ticks(span, m.read);
      meta.appendChild(span);
    } else if (m.id && !m.removed) {
      const report = el("a", "chat-report", d.tReport);
      report.href = d.reportUrl.replace(/\/0$/, "/" + m.id);
      meta.appendChild(report);
    }
    bubble.appendChild(meta);
    wrap.appendChild(bubble);
    return wrap;
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 120;
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  // Show a stored message once: by id, or in place of our own pending copy (client_id).
  function show(m) {
    if (m.conversation_id) conversationId = m.conversation_id;
    if (document.getElementById("m-" + m.id)) return false;
    const empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    const stick = nearBottom() || m.sender === me;
    const node = render(m);
    const placeholder = log.querySelector('.chat-msg[data-client-id="' + CSS.escape(m.client_id) + '"]:not([data-id])');
    if (placeholder && m.sender === me) placeholder.replaceWith(node);
    else log.appendChild(node);
    lastId = Math.max(lastId, m.id);
    if (firstId === null) firstId = m.id;
    if (stick) scrollDown();
    return true;
  }

  // At most one mark_read a second: a busy conversation does not double the server's work.
  let markTimer = null;
  let markedUpTo = 0;
  function markRead() {
    if (markTimer) return;
    markTimer = setTimeout(function () {
      markTimer = null;
      if (!conversationId || document.hidden || !socket.connected) return;
      let upTo = 0;
      log.querySelectorAll(".chat-msg.theirs[data-id]").forEach(function (node) {
        upTo = Math.max(upTo, parseInt(node.dataset.id, 10));
      });
      if (upTo > markedUpTo) {
        markedUpTo = upTo;
        socket.emit("mark_read", { conversation_id: conversationId, up_to_id: upTo });
      }
    }, 1000);
  }

  function titleNotice() {
    document.title = unseen && document.hidden ? "(" + unseen + ") " + d.tNew + " · " + baseTitle : baseTitle;
  }

  function showError(text) {
    if (errorBox) errorBox.textContent = text || "";
  }

  // --- sending ------------------------------------------------------------------------
  function send(payload) {
    pending.set(payload.client_id, payload);
    if (!socket.connected) return; // resent on reconnect
    socket.timeout(10000).emit("send_message", payload, function (err, ack) {
      if (err) return; // no ack: stays pending, resent with the same client_id on reconnect
      pending.delete(payload.client_id);
      if (ack && ack.ok) {
        show(ack.message);
      } else {
        const placeholder = log.querySelector('.chat-msg[data-client-id="' + CSS.escape(payload.client_id) + '"]');
        if (placeholder) {
          const span = placeholder.querySelector(".chat-ticks");
          if (span) span.textContent = d.tFailed;
          placeholder.classList.add("failed");
        }
        showError(ack && ack.error);
      }
    });
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const body = input.value.trim();
      if (!body) return;
      const payload = { to: other, body: body, client_id: newClientId() };
      if (listingId) {
        payload.listing_id = listingId;
        listingId = null;
        const attached = document.getElementById("chat-attached");
        if (attached) attached.remove();
      }
      showError("");
      const empty = document.getElementById("chat-empty");
      if (empty) empty.remove();
      log.appendChild(render({ sender: me, body: body, client_id: payload.client_id }, "sending"));
      scrollDown();
      input.value = "";
      send(payload);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    input.addEventListener("input", function () {
      const now = Date.now();
      if (now - lastTypingSent > 1500 && socket.connected) {
        lastTypingSent = now;
        socket.emit("typing", { to: other });
      }
    });
  }

  if (fileInput) {
    fileInput.addEventListener("change", function () {
      const file = fileInput.files[0];
      if (!file) return;
      const bar = document.getElementById("chat-upload");
      const fill = bar.querySelector(".progress-bar");
      const data = new FormData();
      data.append("image", file);
      data.append("client_id", newClientId());
      const xhr = new XMLHttpRequest();
      xhr.open("POST", d.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", d.csrf);
      bar.classList.remove("d-none");
      fill.style.width = "0%";
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          const percent = Math.round((event.loaded / event.total) * 100);
          fill.style.width = percent + "%";
          bar.setAttribute("aria-valuenow", String(percent));
        }
      });
      xhr.addEventListener("loadend", function () {
        bar.classList.add("d-none");
        fileInput.value = "";
        let answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (e) {
          answer = null;
        }
        if (answer && answer.ok) {
          showError("");
          show(answer.message);
        } else {
          showError((answer && answer.error) || xhr.statusText || "Upload failed");
        }
      });
      xhr.send(data);
    });
  }

  // --- receiving ----------------------------------------------------------------------
  socket.on("new_message", function (m) {
    if (m.sender !== me && m.sender !== other) return;
    if (!show(m)) return;
    if (m.sender === other) {
      typingBox.classList.add("invisible");
      if (document.hidden) {
        unseen += 1;
        titleNotice();
      } else {
        markRead();
      }
    }
  });

  socket.on("typing", function (data) {
    if (data.from !== other) return;
    typingBox.classList.remove("invisible");
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      typingBox.classList.add("invisible");
    }, 4000);
  });

  socket.on("messages_read", function (data) {
    if (data.conversation_id !== conversationId || data.reader === me) return;
    log.querySelectorAll(".chat-msg.mine[data-id]").forEach(function (node) {
      if (parseInt(node.dataset.id, 10) <= data.up_to_id) {
        const span = node.querySelector(".chat-ticks");
        if (span) ticks(span, true);
      }
    });
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      unseen = 0;
      titleNotice();
      markRead();
    }
  });

  // --- connection ---------------------------------------------------------------------
  function syncFrom(after) {
    if (!conversationId) return;
    socket.emit("sync", { conversation_id: conversationId, after_id: after }, function (ack) {
      if (!ack || !ack.ok) return;
      ack.messages.forEach(show);
      if (ack.more && ack.messages.length) syncFrom(ack.messages[ack.messages.length - 1].id);
      else markRead();
    });
  }

  function joined(ack) {
    statusBadge.classList.add("d-none");
    if (ack && ack.ok && ack.conversation_id) conversationId = ack.conversation_id;
    if (syncMark !== null) {
      const mark = syncMark;
      syncMark = null;
      syncFrom(mark);
    } else {
      markRead();
    }
    pending.forEach(function (payload) {
      send(payload);
    });
  }

  socket.on("connect", function () {
    socket.emit("join_chat", { with: other }, joined);
  });
  socket.on("disconnect", function () {
    // the mark is taken now: a live message on the next socket must not move it
    if (syncMark === null) syncMark = lastId;
    statusBadge.classList.remove("d-none");
  });
  if (socket.connected) socket.emit("join_chat", { with: other }, joined);

  // --- older history ------------------------------------------------------------------
  log.addEventListener("scroll", function () {
    if (log.scrollTop > 40 || !hasOlder || loadingOlder || firstId === null) return;
    loadingOlder = true;
    fetch(d.historyUrl + "?before=" + firstId, { credentials: "same-origin" })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        const before = log.scrollHeight;
        const anchor = olderHint.nextSibling;
        data.messages.forEach(function (m) {
          if (document.getElementById("m-" + m.id)) return;
          log.insertBefore(render(m), anchor);
          firstId = Math.min(firstId, m.id);
        });
        hasOlder = data.more;
        olderHint.classList.toggle("d-none", !hasOlder);
        log.scrollTop += log.scrollHeight - before;
      })
      .finally(function () {
        loadingOlder = false;
      });
  });

  scrollDown();
})();
