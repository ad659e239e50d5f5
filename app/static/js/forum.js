// Forum: quote a post into the reply box, upload a picture and insert it at the cursor,
// and the editor's Write / Preview tabs (the preview is rendered by the server, through the
// same sanitiser as a posted message). Without JavaScript the Quote link opens the reply
// page with the quote already in it, and there is no Preview tab.
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

  // POST form data as the signed-in user; resolves to {ok, body} (body {} when not JSON).
  function postForm(url, data, element) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(element), Accept: "application/json" },
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          return { ok: response.ok, body: body };
        });
    });
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
      postForm(input.dataset.uploadUrl, data, input)
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

  // Write / Preview tabs: ← and → move between them (the ARIA tabs pattern).
  document.querySelectorAll(".forum-editor").forEach(function (editor) {
    const tabs = editor.querySelector(".forum-editor-tabs");
    const textarea = editor.querySelector("textarea");
    const write = editor.querySelector(".forum-editor-write");
    const preview = editor.querySelector(".forum-editor-preview");
    if (!tabs || !textarea || !write || !preview || !editor.dataset.previewUrl) return;
    const output = preview.querySelector(".forum-preview-body");
    const buttons = Array.from(tabs.querySelectorAll("[data-editor-tab]"));
    let latest = 0; // only the newest answer is shown when the tab is toggled quickly

    function render() {
      const request = ++latest;
      output.textContent = editor.dataset.previewLoading || "…";
      const data = new FormData();
      data.append("body", textarea.value);
      postForm(editor.dataset.previewUrl, data, textarea)
        .then(function (result) {
          if (request !== latest) return;
          if (result.ok && typeof result.body.html === "string") {
            output.innerHTML = result.body.html; // the server's sanitised rendering
          } else {
            output.textContent = result.body.error || editor.dataset.previewFailed;
          }
        })
        .catch(function () {
          if (request === latest) output.textContent = editor.dataset.previewFailed;
        });
    }

    function select(name, focus) {
      buttons.forEach(function (button) {
        const chosen = button.dataset.editorTab === name;
        button.classList.toggle("active", chosen);
        button.setAttribute("aria-selected", String(chosen));
        button.tabIndex = chosen ? 0 : -1;
        if (chosen && focus) button.focus();
      });
      write.hidden = name !== "write";
      preview.hidden = name !== "preview";
      if (name === "preview") render();
    }

    write.setAttribute("role", "tabpanel");
    write.setAttribute("aria-labelledby", buttons[0].id);
    tabs.classList.remove("d-none");
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        select(button.dataset.editorTab, false);
      });
      button.addEventListener("keydown", function (event) {
        if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
        event.preventDefault();
        select(button.dataset.editorTab === "write" ? "preview" : "write", true);
      });
    });
    editor.showWriteTab = function () {
      select("write", false);
    };
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
          const editor = replyBox.closest(".forum-editor");
          if (editor && editor.showWriteTab) editor.showWriteTab();
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
