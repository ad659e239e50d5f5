// Garage listings: favourite hearts, the photo manager (upload with previews and a progress
// bar, reorder by drag or arrows, choose the cover, delete) and the full-screen gallery
// viewer with keyboard navigation. Everything is wired through data attributes; no inline
// script (CSP). Works on the search, listing, edit and favourites pages.
(function () {
  "use strict";

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
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
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
    const uploadButton = document.getElementById("photo-upload");
    const previews = document.getElementById("photo-previews");
    const progress = document.getElementById("photo-progress");
    const bar = document.getElementById("photo-progress-bar");
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
          if (!response.ok) throw new Error(data.error || d.labelFailed);
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
        .catch(function (error) { showErrors([error.message]); });
    }

    function remove(id) {
      postJSON(d.deleteUrl.replace("/photos/0/", "/photos/" + id + "/"))
        .then(function (data) { photos = data.photos; render(); showErrors([]); })
        .catch(function (error) { showErrors([error.message]); });
    }

    input.addEventListener("change", function () {
      previews.replaceChildren();
      Array.from(input.files).forEach(function (file) {
        const figure = document.createElement("figure");
        figure.className = "photo-preview m-0 text-center small";
        const img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = "";
        img.width = 120;
        img.height = 90;
        img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
        const caption = document.createElement("figcaption");
        caption.className = "text-truncate";
        caption.textContent = file.name;
        figure.append(img, caption);
        previews.appendChild(figure);
      });
      uploadButton.disabled = input.files.length === 0;
    });

    // Files go one per request (the server's request size limit applies per file, and one
    // bad file does not sink the others); the bar shows the bytes of the whole selection.
    uploadButton.addEventListener("click", function () {
      const files = Array.from(input.files);
      if (!files.length) return;
      const total = files.reduce(function (sum, file) { return sum + file.size; }, 0) || 1;
      let done = 0;
      const errors = [];
      progress.classList.remove("d-none");
      bar.style.width = "0%";
      uploadButton.disabled = true;
      input.disabled = true;

      function setProgress(bytes) {
        const percent = Math.min(100, Math.round((bytes / total) * 100));
        bar.style.width = percent + "%";
        progress.setAttribute("aria-valuenow", String(percent));
      }

      function finish() {
        progress.classList.add("d-none");
        input.disabled = false;
        input.value = "";
        previews.replaceChildren();
        showErrors(errors);
        root.dispatchEvent(new CustomEvent("photos:uploaded", { bubbles: true, detail: { photos: photos } }));
      }

      function next(index) {
        if (index >= files.length) { finish(); return; }
        const file = files[index];
        const data = new FormData();
        data.append("photos", file);
        const xhr = new XMLHttpRequest();
        xhr.open("POST", d.uploadUrl);
        xhr.setRequestHeader("X-CSRFToken", d.csrf);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) setProgress(done + (event.loaded / event.total) * file.size);
        });
        xhr.addEventListener("load", function () {
          let answer = null;
          try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
          if (answer && answer.photos) { photos = answer.photos; render(); }
          if (!answer) errors.push(file.name + ": " + d.labelFailed);
          else {
            (answer.errors || []).forEach(function (e) { errors.push(e.file + ": " + e.error); });
            if (answer.message) errors.push(file.name + ": " + answer.message);
            else if (answer.error && !answer.errors) errors.push(file.name + ": " + answer.error);
          }
          done += file.size;
          setProgress(done);
          next(index + 1);
        });
        xhr.addEventListener("error", function () {
          errors.push(file.name + ": " + d.labelFailed);
          done += file.size;
          next(index + 1);
        });
        xhr.send(data);
      }
      next(0);
    });

    render();
  }

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
