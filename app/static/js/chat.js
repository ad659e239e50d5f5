// Garage chat: one conversation page. Uses the site-wide socket (window.garage.socket).
// - join_chat on every (re)connect; the server decides the room.
// - every message has a client_id: a resend after a lost ack is not a duplicate. What was
//   typed and not yet acknowledged is kept in localStorage (a reload or a crash keeps it)
//   and resent with the same client_id on every (re)connect; a refused one shows Retry.
// - every message has a seq, 1, 2, 3... per conversation without gaps. The page keeps the
//   highest seq up to which it has every message; the sync mark is that, taken when the
//   connection drops, then `sync` fetches what arrived meanwhile. A live message that skips
//   a seq (one never delivered live) triggers a sync too. Messages are de-duplicated by id.
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
  const seqs = new Set(); // seqs shown (newer than the first page)
  let upTo = 0; // every seq up to this one is shown
  let firstSeq = null; // lowest seq shown (for older history)
  let syncMark = null; // upTo when the connection dropped
  let gapTimer = null;
  let hasOlder = olderHint && !olderHint.classList.contains("d-none");
  let loadingOlder = false;
  let unseen = 0;
  let lastTypingSent = 0;
  let typingTimer = null;
  const pending = new Map(); // client_id -> payload sent and not yet acknowledged

  log.querySelectorAll(".chat-msg[data-seq]").forEach(function (node) {
    const seq = parseInt(node.dataset.seq, 10);
    upTo = Math.max(upTo, seq); // the page shows the latest messages, without gaps
    firstSeq = firstSeq === null ? seq : Math.min(firstSeq, seq);
  });
  // The first join syncs from what the page was rendered with: a message stored between
  // the page load and the join was emitted before this socket was in the room.
  syncMark = upTo;

  // --- the outbox: typed, not yet acknowledged; survives a reload --------------------
  const outboxKey = "garage.chat.outbox." + me + "." + other;

  function loadOutbox() {
    try {
      const stored = JSON.parse(window.localStorage.getItem(outboxKey) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (e) {
      return [];
    }
  }

  function saveOutbox(items) {
    try {
      if (items.length) window.localStorage.setItem(outboxKey, JSON.stringify(items));
      else window.localStorage.removeItem(outboxKey);
    } catch (e) {
      // private mode or a full storage: the message is still sent from memory
    }
  }

  function keepInOutbox(payload, failed) {
    const items = loadOutbox().filter(function (item) {
      return item.client_id !== payload.client_id;
    });
    items.push(Object.assign({}, payload, { failed: !!failed }));
    saveOutbox(items);
  }

  function dropFromOutbox(clientId) {
    saveOutbox(
      loadOutbox().filter(function (item) {
        return item.client_id !== clientId;
      })
    );
  }

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

  // The server's |time: same site time zone, pattern and language (garage.js).
  const timeText = window.garage.formatTime;

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
    const details = [card.year, card.mileage_km != null ? window.garage.formatMileage(card.mileage_km) : null, card.city];
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
      wrap.dataset.seq = m.seq;
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

  function placeholderFor(clientId) {
    return log.querySelector('.chat-msg[data-client-id="' + CSS.escape(clientId) + '"]:not([data-id])');
  }

  // Show a stored message once: by id, or in place of our own pending copy (client_id).
  function show(m) {
    if (m.conversation_id) conversationId = m.conversation_id;
    if (m.sender === me) {
      pending.delete(m.client_id);
      dropFromOutbox(m.client_id); // stored: whatever an ack said, it is delivered
    }
    held(m.seq);
    if (document.getElementById("m-" + m.id)) return false;
    const empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    const stick = nearBottom() || m.sender === me;
    const node = render(m);
    const placeholder = placeholderFor(m.client_id);
    if (placeholder && m.sender === me) placeholder.replaceWith(node);
    else log.appendChild(node);
    if (firstSeq === null) firstSeq = m.seq;
    if (stick) scrollDown();
    return true;
  }

  // Track seqs; a gap that is still there a second later (an ack or a racing emit may be
  // on its way) was never delivered live: fetch it.
  function held(seq) {
    if (!seq || seq <= upTo) return;
    seqs.add(seq);
    while (seqs.has(upTo + 1)) {
      seqs.delete(upTo + 1);
      upTo += 1;
    }
    if (seqs.size && !gapTimer) {
      gapTimer = setTimeout(function () {
        gapTimer = null;
        if (seqs.size && socket.connected && syncMark === null) syncFrom(upTo);
      }, 1000);
    }
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
      if (!pending.has(payload.client_id)) return; // already shown as stored
      pending.delete(payload.client_id);
      if (ack && ack.ok) show(ack.message);
      else failed(payload, ack && ack.error);
    });
  }

  // Refused (or the server was busy): keep it, marked, with a Retry button. A message the
  // page already shows as stored is never marked (show() took its placeholder).
  function failed(payload, error) {
    const placeholder = placeholderFor(payload.client_id);
    if (!placeholder) return;
    keepInOutbox(payload, true);
    markFailed(placeholder, payload);
    showError(error);
  }

  function markFailed(placeholder, payload) {
    placeholder.classList.add("failed");
    const span = placeholder.querySelector(".chat-ticks");
    if (span) span.textContent = d.tFailed;
    if (placeholder.querySelector(".chat-retry")) return;
    const retry = el("button", "chat-retry btn btn-link btn-sm p-0 ms-1", d.tRetry);
    retry.type = "button";
    retry.addEventListener("click", function () {
      retry.remove();
      placeholder.classList.remove("failed");
      if (span) span.textContent = d.tSending;
      showError("");
      keepInOutbox(payload, false);
      send(payload);
    });
    placeholder.querySelector(".chat-meta").appendChild(retry);
  }

  function showUnsent(payload) {
    const empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    const node = render({ sender: me, body: payload.body, client_id: payload.client_id }, "sending");
    log.appendChild(node);
    return node;
  }

  // After a reload: what was typed and never acknowledged is shown again and resent (the
  // same client_id: if it was stored after all, the server answers with the stored one).
  loadOutbox().forEach(function (payload) {
    if (!payload || typeof payload.client_id !== "string" || typeof payload.body !== "string") return;
    const node = showUnsent(payload);
    const clean = { to: other, body: payload.body, client_id: payload.client_id };
    if (payload.listing_id) clean.listing_id = payload.listing_id;
    if (payload.failed) markFailed(node, clean);
    else pending.set(clean.client_id, clean);
  });

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
      showUnsent(payload);
      keepInOutbox(payload, false);
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
          showError((answer && answer.error) || window.garage.t("upload_failed"));
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
    socket.emit("sync", { conversation_id: conversationId, after_seq: after }, function (ack) {
      if (!ack || !ack.ok) return;
      ack.messages.forEach(show);
      if (ack.more && ack.messages.length) syncFrom(ack.messages[ack.messages.length - 1].seq);
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
    if (syncMark === null) syncMark = upTo;
    statusBadge.classList.remove("d-none");
  });
  if (socket.connected) socket.emit("join_chat", { with: other }, joined);

  // --- older history ------------------------------------------------------------------
  log.addEventListener("scroll", function () {
    if (log.scrollTop > 40 || !hasOlder || loadingOlder || firstSeq === null) return;
    loadingOlder = true;
    fetch(d.historyUrl + "?before=" + firstSeq, { credentials: "same-origin" })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        const before = log.scrollHeight;
        const anchor = olderHint.nextSibling;
        data.messages.forEach(function (m) {
          if (document.getElementById("m-" + m.id)) return;
          log.insertBefore(render(m), anchor);
          firstSeq = Math.min(firstSeq, m.seq);
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
