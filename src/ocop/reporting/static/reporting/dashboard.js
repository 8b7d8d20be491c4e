/* The dashboard's charts (ECharts) and map of communes (Leaflet). Every figure is also a plain
   table with links: the charts replace those tables only when ECharts loads, the map appears only
   when Leaflet and the tiles load (offline, the table of communes stays). Clicking a bar, a slice
   or a marker opens the records behind it. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function go(item) { if (item && item.url) { window.location.href = item.url; } }

  function charts() {
    var d = data("dashboard-data");
    if (!d || !window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-chart");
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      var option;
      if (kind === "stars") {
        option = {
          tooltip: { trigger: "item" },
          color: ["#d63939", "#f59f00", "#2fb344"],
          series: [{ type: "pie", radius: ["40%", "70%"], data: d.stars, label: { formatter: "{b}: {c}" } }]
        };
        chart.on("click", function (p) { go(d.stars[p.dataIndex]); });
      } else if (kind === "trend") {
        option = {
          tooltip: { trigger: "axis" }, legend: { data: ["5★", "4★", "3★"] },
          color: ["#d63939", "#f59f00", "#2fb344"],
          xAxis: { type: "category", data: d.trend.map(function (t) { return t.label; }) },
          yAxis: { type: "value" },
          series: ["s5", "s4", "s3"].map(function (k, i) {
            return { name: ["5★", "4★", "3★"][i], type: "bar", stack: "t",
                     data: d.trend.map(function (t) { return t[k]; }) };
          })
        };
      } else {
        var rows = (kind === "categories" ? d.categories : d.places).slice(0, 20).reverse();
        option = {
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: "value" },
          yAxis: { type: "category", data: rows.map(function (r) { return r.name.length > 28 ? r.name.slice(0, 27) + "…" : r.name; }) },
          series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), itemStyle: { color: "#206bc4" } }]
        };
        chart.on("click", function (p) { go(rows[p.dataIndex]); });
      }
      chart.setOption(option);
      var fallback = el.parentNode.querySelector(".chart-fallback");
      if (fallback) { fallback.classList.add("visually-hidden"); }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function map() {
    var el = document.getElementById("communes-map");
    var points = data("map-points");
    if (!el || !points || !points.length || !window.L || !el.getAttribute("data-tiles")) return;
    el.hidden = false;
    var fallback = el.parentNode.querySelector(".map-fallback");
    try {
      var m = window.L.map(el, { scrollWheelZoom: false });
      var tiles = window.L.tileLayer(el.getAttribute("data-tiles"), {
        maxZoom: 18, attribution: el.getAttribute("data-attribution") || ""
      });
      var loaded = 0, failed = 0;
      tiles.on("tileload", function () {
        loaded += 1;
        if (loaded === 1) { el.setAttribute("data-tiles-loaded", "1"); }
      });
      tiles.on("tileerror", function () {
        failed += 1;
        if (!loaded && failed >= 3) {  // offline or no tile server: the table of communes stays
          el.hidden = true;
          el.setAttribute("data-offline", "1");
          if (fallback) { fallback.hidden = false; }
        }
      });
      tiles.addTo(m);
      var bounds = [];
      points.forEach(function (p) {
        var has = p.products > 0;
        var marker = window.L.circleMarker([p.lat, p.lng], {
          radius: has ? 4 + 3 * Math.sqrt(p.products) : 4,
          color: has ? "#2fb344" : "#d63939", weight: 1,
          fillColor: has ? "#2fb344" : "#d63939", fillOpacity: has ? 0.6 : 0.35
        }).addTo(m);
        marker.bindTooltip(p.name + ": " + p.products);
        if (has) { marker.on("click", function () { go(p); }); }
        bounds.push([p.lat, p.lng]);
      });
      m.fitBounds(bounds, { padding: [16, 16] });
      el.setAttribute("data-markers", String(points.length));
      if (fallback) { fallback.classList.add("map-below"); }
    } catch (e) {
      el.hidden = true;
    }
  }

  function ready() { charts(); map(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
