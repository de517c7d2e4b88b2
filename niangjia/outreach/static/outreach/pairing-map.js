// The pairing page's map: each pairing of the table's page as a line from the cadre's place to the
// enterprise. Points come from the #pairing-points JSON; tiles from data-tiles (MAP_TILE_URL), none if empty.
(function () {
  "use strict";
  var box = document.getElementById("pairing-map");
  var data = document.getElementById("pairing-points");
  if (!box || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  var map = L.map(box, { scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  var tiles = box.getAttribute("data-tiles");
  if (tiles) { L.tileLayer(tiles, { maxZoom: 18 }).addTo(map); }
  var bounds = [];
  points.forEach(function (p) {
    var label = p.cadre + " → " + p.enterprise + (p.km === null ? "" : "（" + p.km.toFixed(2) + " 公里）");
    L.polyline([p.c, p.e], { color: p.fixed ? "#a52834" : "#0d6efd", weight: 2, opacity: 0.7 }).addTo(map).bindPopup(label);
    L.circleMarker(p.e, { radius: 5, color: "#0d6efd", fillOpacity: 0.9 }).addTo(map).bindPopup(label);
    L.circleMarker(p.c, { radius: 4, color: "#198754", fillOpacity: 0.9 }).addTo(map).bindPopup(p.cadre + "（" + p.org + "）");
    bounds.push(p.c, p.e);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); } else { map.setView([34.27, 108.95], 10); }
})();
