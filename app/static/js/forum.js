// Forum: quote a post into the reply box, upload a picture and insert it at the cursor.
// Without JavaScript the Quote link opens the reply page with the quote already in it.
(function () {
  "use strict";

  function insertAtCursor(textarea, text) {
    const start = textarea.selectionStart ?? textarea.value.length;
    const end = textarea.selectionEnd ?? start;
    const before = textarea.value.slice(0, start);
    const gap = before && !before.endsWith("\n") && text.startsWith(">") ? "\n\n" : "";
    textarea.setRangeText(gap + text, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
  }

  function csrfToken(element) {
    const form = element.closest("form");
    const input = form && form.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  // Pictures: POST to the upload endpoint, then insert ![](url) where the cursor is.
  document.querySelectorAll("input.forum-upload").forEach(function (input) {
    const textarea = document.getElementById(input.dataset.target);
    const status = input.closest(".forum-editor").querySelector(".forum-upload-status");
    input.addEventListener("change", function () {
      const file = input.files && input.files[0];
      if (!file || !textarea) return;
      const data = new FormData();
      data.append("image", file);
      status.textContent = input.dataset.uploading || "…";
      fetch(input.dataset.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(input), Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (result) {
          if (!result.ok) throw { shown: result.body.message || result.body.error };
          insertAtCursor(textarea, result.body.markdown + "\n");
          status.textContent = "";
        })
        .catch(function (error) {
          // the server's own (translated) reason, else ours: never the browser's English
          status.textContent = (error && error.shown) || window.garage.t("upload_failed");
          status.classList.add("text-danger");
        })
        .finally(function () {
          input.value = "";
        });
    });
  });

  // Quotes: fetch the post's markdown and put it into the reply box on this page.
  const replyForm = document.getElementById("reply-form");
  const replyBox = replyForm && replyForm.querySelector("textarea");
  document.querySelectorAll("a.forum-quote").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!replyBox) return; // no reply box here: follow the link (server-side quote)
      event.preventDefault();
      fetch(link.dataset.quoteUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("quote failed");
          return response.json();
        })
        .then(function (data) {
          insertAtCursor(replyBox, data.markdown);
          const quoteId = replyForm.querySelector('input[name="quote_id"]');
          if (quoteId) quoteId.value = String(data.id);
          replyBox.scrollIntoView({ block: "center" });
        })
        .catch(function () {
          window.location.href = link.href;
        });
    });
  });
})();
