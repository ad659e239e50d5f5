// Garage listings: favourite hearts, the photo manager (each chosen file uploads at once with
// its own progress bar, Retry and Remove; reorder by drag or arrows, choose the cover, delete),
// the draft's publish checklist and the full-screen gallery
// viewer with keyboard navigation. Everything is wired through data attributes; no inline
// script (CSP). Works on the search, listing, edit and favourites pages.
(function () {
  "use strict";

  // A form sent by fetch, asking for JSON.
  function postForm(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
  }

  // --- favourites: the heart form becomes a fetch toggle --------------------------------
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.classList.contains("confirm-submit")) {
      if (!window.confirm(form.dataset.confirm || "?")) event.preventDefault();
      return;
    }
    if (!form.classList.contains("favorite-form")) return;
    event.preventDefault();
    const button = form.querySelector(".favorite-button");
    postForm(form)
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        button.classList.toggle("is-favorite", data.saved);
        button.setAttribute("aria-pressed", data.saved ? "true" : "false");
        const label = data.saved ? button.dataset.labelRemove : button.dataset.labelAdd;
        button.title = label;
        button.querySelector(".favorite-label").textContent = label;
      })
      .catch(function () {
        form.submit();
      });
  });

  // --- photo manager on the edit page ---------------------------------------------------
  const manager = document.getElementById("photo-manager");
  if (manager) setUpPhotoManager(manager);

  function setUpPhotoManager(root) {
    const list = document.getElementById("photo-list");
    const input = document.getElementById("photo-input");
    const queue = document.getElementById("photo-queue");
    const errorBox = document.getElementById("photo-errors");
    const d = root.dataset;
    let photos = Array.from(list.children).map(function (li) {
      return { id: Number(li.dataset.photoId), thumb: li.dataset.thumb };
    });
    let dragged = null;

    function button(label, cls, handler) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-sm " + cls;
      b.textContent = label;
      b.addEventListener("click", handler);
      return b;
    }

    function render() {
      root.dispatchEvent(new CustomEvent("photos:changed", { bubbles: true, detail: { count: photos.length } }));
      list.replaceChildren();
      photos.forEach(function (photo, index) {
        const li = document.createElement("li");
        li.className = "photo-item card p-1";
        li.draggable = true;
        li.dataset.photoId = photo.id;
        const img = document.createElement("img");
        img.src = photo.thumb;
        img.alt = "";
        img.width = 160;
        img.height = 120;
        li.appendChild(img);
        const bar = document.createElement("div");
        bar.className = "d-flex flex-wrap gap-1 mt-1";
        if (index === 0) {
          const badge = document.createElement("span");
          badge.className = "badge text-bg-warning align-self-center photo-cover-badge";
          badge.textContent = d.labelCover;
          bar.appendChild(badge);
        } else {
          bar.appendChild(button(d.labelMakeCover, "btn-outline-primary photo-make-cover", function () { move(index, 0); }));
          bar.appendChild(button("←", "btn-outline-secondary", function () { move(index, index - 1); }));
        }
        if (index < photos.length - 1) {
          bar.appendChild(button("→", "btn-outline-secondary", function () { move(index, index + 1); }));
        }
        bar.appendChild(button(d.labelDelete, "btn-outline-danger photo-delete", function () { remove(photo.id); }));
        bar.querySelectorAll("button").forEach(function (b) {
          if (b.textContent === "←") b.setAttribute("aria-label", d.labelLeft);
          if (b.textContent === "→") b.setAttribute("aria-label", d.labelRight);
        });
        li.appendChild(bar);
        li.addEventListener("dragstart", function () { dragged = index; });
        li.addEventListener("dragover", function (event) { event.preventDefault(); });
        li.addEventListener("drop", function (event) {
          event.preventDefault();
          if (dragged !== null && dragged !== index) move(dragged, index);
          dragged = null;
        });
        list.appendChild(li);
      });
    }

    function showErrors(messages) {
      errorBox.replaceChildren();
      messages.forEach(function (m) {
        const p = document.createElement("div");
        p.textContent = m;
        errorBox.appendChild(p);
      });
      errorBox.classList.toggle("d-none", messages.length === 0);
    }

    function postJSON(url, body) {
      return fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": d.csrf, Accept: "application/json" },
        body: JSON.stringify(body || {}),
        credentials: "same-origin",
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw { shown: data.error };
          return data;
        });
      });
    }

    function move(from, to) {
      const ids = photos.map(function (p) { return p.id; });
      const [moved] = ids.splice(from, 1);
      ids.splice(to, 0, moved);
      postJSON(d.orderUrl, { ids: ids })
        .then(function (data) { photos = data.photos; render(); showErrors([]); })
        .catch(failed);
    }

    // The server's own (translated) reason, else ours: never a browser's English message.
    function failed(error) {
      showErrors([(error && error.shown) || d.labelFailed]);
    }

    function remove(id) {
      postJSON(d.deleteUrl.replace("/photos/0/", "/photos/" + id + "/"))
        .then(function (data) { photos = data.photos; render(); showErrors([]); })
        .catch(failed);
    }

    // --- uploads: each chosen file goes at once, one at a time (the server numbers the
    // photos in order), with its own preview, progress bar, Retry on failure and Remove.
    const waiting = [];
    let current = null;

    function uploadTile(file) {
      const li = document.createElement("li");
      li.className = "photo-upload card p-1 small";
      const img = document.createElement("img");
      img.src = URL.createObjectURL(file);
      img.alt = "";
      img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
      const name = document.createElement("div");
      name.className = "text-truncate mt-1";
      name.textContent = file.name;
      const progress = document.createElement("div");
      progress.className = "progress my-1";
      progress.setAttribute("role", "progressbar");
      progress.setAttribute("aria-label", d.labelProgress.replace("{name}", file.name));
      progress.setAttribute("aria-valuemin", "0");
      progress.setAttribute("aria-valuemax", "100");
      progress.setAttribute("aria-valuenow", "0");
      const bar = document.createElement("div");
      bar.className = "progress-bar";
      bar.style.width = "0%";
      progress.appendChild(bar);
      const status = document.createElement("div");
      status.className = "photo-upload-status text-body-secondary";
      const actions = document.createElement("div");
      actions.className = "d-flex gap-1";
      const job = { file: file, li: li, progress: progress, bar: bar, status: status, xhr: null };
      job.retry = button(d.labelRetry, "btn-outline-primary photo-retry d-none", function () { enqueue(job); });
      actions.append(job.retry, button(d.labelRemove, "btn-outline-secondary photo-remove", function () { discard(job); }));
      li.append(img, name, progress, status, actions);
      return job;
    }

    function setJobProgress(job, percent) {
      job.bar.style.width = percent + "%";
      job.progress.setAttribute("aria-valuenow", String(percent));
    }

    function enqueue(job) {
      job.retry.classList.add("d-none");
      job.bar.classList.remove("bg-danger");
      job.status.classList.remove("text-danger");
      job.status.textContent = d.labelWaiting;
      setJobProgress(job, 0);
      waiting.push(job);
      pump();
    }

    function discard(job) {
      const index = waiting.indexOf(job);
      if (index >= 0) waiting.splice(index, 1);
      if (job.xhr) job.xhr.abort();
      job.li.remove();
    }

    function failed(job, message) {
      job.bar.classList.add("bg-danger");
      setJobProgress(job, 100);
      job.status.classList.add("text-danger");
      job.status.textContent = message || d.labelFailed;
      job.retry.classList.remove("d-none");
    }

    // The reason the server gave, in the page's language, or the generic one.
    function reasonOf(answer) {
      if (!answer) return d.labelFailed;
      if (answer.errors && answer.errors.length) return answer.errors[0].error;
      return answer.message || answer.error || d.labelFailed;
    }

    function pump() {
      if (current || !waiting.length) return;
      const job = (current = waiting.shift());
      const data = new FormData();
      data.append("photos", job.file);
      const xhr = (job.xhr = new XMLHttpRequest());
      xhr.open("POST", d.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", d.csrf);
      xhr.setRequestHeader("Accept", "application/json");
      job.status.textContent = d.labelUploading;
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) setJobProgress(job, Math.min(99, Math.round((event.loaded / event.total) * 100)));
      });
      function done() {
        job.xhr = null;
        current = null;
        pump();
      }
      xhr.addEventListener("load", function () {
        let answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
        if (answer && answer.photos) { photos = answer.photos; render(); }
        if (xhr.status === 200 && answer && !(answer.errors && answer.errors.length)) job.li.remove();
        else failed(job, reasonOf(answer));
        done();
      });
      xhr.addEventListener("error", function () { failed(job, d.labelFailed); done(); });
      xhr.addEventListener("abort", done);
      xhr.send(data);
    }

    input.addEventListener("change", function () {
      Array.from(input.files).forEach(function (file) {
        const job = uploadTile(file);
        queue.appendChild(job.li);
        enqueue(job);
      });
      input.value = "";
    });

    render();
  }

  // --- Call: a tap asks the server for the phone (it counts the reveal), then every Call
  // button on the page becomes a tel: link showing the number -------------------------
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.classList.contains("phone-form")) return;
    event.preventDefault();
    function say(text) {
      document.querySelectorAll(".phone-message").forEach(function (box) { box.textContent = text; });
    }
    postForm(form)
      .then(function (response) {
        return response.json().then(function (data) {
          if (response.status === 401 && data.sign_in) window.location.assign(data.sign_in);
          if (!response.ok) throw new Error(data.error || data.message || form.dataset.labelFailed);
          return data;
        });
      })
      .then(function (data) {
        document.querySelectorAll(".phone-form").forEach(function (other) {
          const button = other.querySelector(".phone-reveal");
          const link = document.createElement("a");
          link.className = button.className.replace("phone-reveal", "phone-link");
          link.id = button.id;
          link.href = data.tel;
          link.textContent = data.phone;
          other.replaceWith(link);
        });
        say("");
      })
      .catch(function (error) {
        say(error.message || form.dataset.labelFailed);
      });
  });

  // --- search: sort applies at once; the filter panel's button shows the live count ----
  const sortForm = document.getElementById("sort-form");
  if (sortForm) {
    sortForm.querySelector(".sort-submit").hidden = true;
    sortForm.querySelector("select").addEventListener("change", function () { sortForm.submit(); });
  }

  const filterForm = document.querySelector(".listing-filters[data-count-url]");
  if (filterForm) {
    const apply = document.getElementById("f-submit");
    let timer = null;
    let latest = 0;

    function query() {
      const params = new URLSearchParams();
      new FormData(filterForm).forEach(function (value, name) { if (value !== "") params.append(name, value); });
      return params.toString();
    }

    function refreshCount() {
      const ticket = ++latest;
      fetch(filterForm.dataset.countUrl + "?" + query(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && ticket === latest) apply.textContent = data.label; })
        .catch(function () {}); // the button keeps its last text; the form still submits
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refreshCount, 300);
    }

    filterForm.addEventListener("input", later);
    filterForm.addEventListener("change", later);
    const panel = document.getElementById("filters-panel");
    if (panel) panel.addEventListener("show.bs.offcanvas", refreshCount);
  }

  // --- the draft's checklist: Publish is enabled once the listing has a photo -----------
  document.addEventListener("photos:changed", function (event) {
    const check = document.getElementById("check-photos");
    if (!check) return;
    const ready = event.detail.count > 0;
    check.classList.toggle("is-done", ready);
    check.classList.toggle("is-todo", !ready);
    document.getElementById("publish-button").disabled = !ready;
    document.getElementById("publish-hint").hidden = ready;
  });

  // --- gallery: the full-screen viewer opens at the clicked photo -----------------------
  const viewer = document.getElementById("viewer");
  if (viewer && window.bootstrap) {
    const viewerCarousel = document.getElementById("viewer-carousel");
    let startAt = 0;
    document.querySelectorAll(".gallery-open").forEach(function (b) {
      b.addEventListener("click", function () { startAt = Number(b.dataset.index) || 0; });
    });
    viewer.addEventListener("show.bs.modal", function () {
      const items = viewerCarousel.querySelectorAll(".carousel-item");
      items.forEach(function (item, i) { item.classList.toggle("active", i === startAt); });
    });
    viewer.addEventListener("shown.bs.modal", function () { viewerCarousel.focus(); });
    document.addEventListener("keydown", function (event) {
      if (!viewer.classList.contains("show")) return;
      const carousel = window.bootstrap.Carousel.getOrCreateInstance(viewerCarousel, { interval: false, ride: false });
      if (event.key === "ArrowRight") { event.preventDefault(); carousel.next(); }
      if (event.key === "ArrowLeft") { event.preventDefault(); carousel.prev(); }
    });
    viewerCarousel.setAttribute("tabindex", "0");
  }
})();
