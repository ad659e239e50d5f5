// Listing page gallery: the photos change with ← and → once the gallery has focus, and
// with a swipe on a touch screen. Bootstrap's carousel does both, but only after it has
// been created, and data-bs-ride="false" leaves that to the first click on an arrow: so
// create both carousels (the page's and the full-screen viewer's) at once.
(function () {
  "use strict";
  if (!window.bootstrap) return;
  const options = { interval: false, ride: false, keyboard: true, touch: true, wrap: true };
  ["gallery", "viewer-carousel"].forEach(function (id) {
    const element = document.getElementById(id);
    if (element) window.bootstrap.Carousel.getOrCreateInstance(element, options);
  });

  // Say which photo is shown ("Photo 2 of 5") to screen readers after each slide.
  const gallery = document.getElementById("gallery");
  const status = document.getElementById("gallery-status");
  if (gallery && status) {
    gallery.addEventListener("slid.bs.carousel", function (event) {
      const template = status.dataset.template || "{n} / {total}";
      const total = gallery.querySelectorAll(".carousel-item").length;
      status.textContent = template.replace("{n}", String(event.to + 1)).replace("{total}", String(total));
    });
  }
})();
