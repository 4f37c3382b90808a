// Movement map of a network (Leaflet, vendored). The outline of the Netherlands and the
// municipality points are always drawn, so the map works offline and in tests; tiles from
// the configured server (PDOK BRT-Achtergrondkaart by default) are laid underneath when set.
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("kz-map");
    if (!el || typeof L === "undefined") { return; }
    var data = JSON.parse(el.getAttribute("data-map") || "{}");
    var map = L.map(el, { scrollWheelZoom: false, attributionControl: true });
    map.fitBounds([[50.75, 3.36], [53.55, 7.23]]);
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution || "" }).addTo(map);
    }
    fetch(el.getAttribute("data-base"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (base) {
        L.geoJSON(base.outline, { style: { color: "#3a3a3a", weight: 1, fillColor: "#e8eef3", fillOpacity: data.tiles ? 0 : 1 } }).addTo(map).bringToBack();
        base.municipalities.forEach(function (m) {
          L.circleMarker([m[1], m[2]], { radius: 1.5, color: "#7a7a7a", weight: 1, interactive: false }).addTo(map);
        });
        el.setAttribute("data-ready", "true");
      })
      .catch(function () { el.setAttribute("data-ready", "no-base"); });
    var stops = data.stops || [];
    var line = stops.map(function (s) { return [s.lat, s.lon]; });
    if (line.length > 1) { L.polyline(line, { color: "#b3261e", weight: 3 }).addTo(map); }
    stops.forEach(function (s, i) {
      L.circleMarker([s.lat, s.lon], { radius: 6, color: "#b3261e", fillOpacity: 0.9 })
        .bindTooltip((i + 1) + ". " + s.city + " (" + s["from"] + " – " + s.to + ")")
        .addTo(map);
    });
    if (line.length) { map.fitBounds(L.latLngBounds(line).pad(0.5), { maxZoom: 9 }); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
