/* The public catalogue's small behaviours. Every page works without them (plain links, a GET
   form, the place as text): the map appears only when Leaflet and the tiles load. */
(function () {
  "use strict";

  // The language links return to the page shown now (htmx may have changed the address).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-language-link]");
    if (!link) return;
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("next", window.location.pathname + window.location.search);
    link.href = url.toString();
  });

  // Filters left empty stay out of the address (htmx builds it from the form).
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    try {
      Object.keys(params).forEach(function (key) {
        if (params[key] === "") { delete params[key]; }
      });
    } catch (e) { /* keep them: harmless */ }
  });

  function showMap(el) {
    if (!el || !window.L) return;
    var lat = parseFloat(el.getAttribute("data-lat"));
    var lng = parseFloat(el.getAttribute("data-lng"));
    if (isNaN(lat) || isNaN(lng)) return;
    el.hidden = false;
    try {
      var map = window.L.map(el, { scrollWheelZoom: false }).setView([lat, lng], 11);
      var tiles = window.L.tileLayer(el.getAttribute("data-tiles"), {
        maxZoom: 18,
        attribution: el.getAttribute("data-attribution") || ""
      });
      var loaded = 0;
      var failed = 0;
      tiles.on("tileload", function () { loaded += 1; });
      tiles.on("tileerror", function () {
        failed += 1;
        if (!loaded && failed >= 3) { el.hidden = true; }  // no tiles: the place stays as text
      });
      tiles.addTo(map);
      window.L.circleMarker([lat, lng], { radius: 8, weight: 2 }).addTo(map)
        .bindTooltip(el.getAttribute("data-label") || "");
    } catch (e) {
      el.hidden = true;
    }
  }

  function ready() { showMap(document.getElementById("product-map")); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
