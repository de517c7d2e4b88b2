/* The dashboard's charts (ECharts) and map (Leaflet); the numbers are also in the tables beside them. */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node) { return; }
  var data = JSON.parse(node.textContent);

  function go(url) { if (url) { window.location.href = url; } }

  var bars = data.progress.bars;
  var progressNode = document.getElementById("chart-progress");
  if (progressNode && window.echarts && bars.length) {
    progressNode.style.height = Math.max(240, 34 * bars.length + 80) + "px";
    var progress = window.echarts.init(progressNode);
    progress.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: bars.map(function (b) { return b.name; }),
               axisLabel: { width: 96, overflow: "truncate" } },
      series: [
        { name: data.progress.done, type: "bar", data: bars.map(function (b) { return b.done; }), itemStyle: { color: "#a52834" } },
        { name: data.progress.target, type: "bar", data: bars.map(function (b) { return b.target; }), itemStyle: { color: "#adb5bd" } }
      ]
    });
    progress.on("click", function (event) { go(bars[event.dataIndex] && bars[event.dataIndex].url); });
    window.addEventListener("resize", function () { progress.resize(); });
  }

  var trendNode = document.getElementById("chart-trend");
  if (trendNode && window.echarts && data.trend.weeks.length) {
    var trend = window.echarts.init(trendNode);
    trend.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.trend.weeks },
      yAxis: { type: "value", minInterval: 1 },
      series: data.trend.series.map(function (s) {
        return { name: s.name, type: "line", data: s.values, connectNulls: false, symbolSize: 6 };
      })
    });
    window.addEventListener("resize", function () { trend.resize(); });
  }

  var moneyNode = document.getElementById("chart-money");
  var money = data.money || [];
  if (moneyNode && window.echarts && money.length) {
    moneyNode.style.height = Math.max(220, 34 * money.length + 60) + "px";
    var moneyChart = window.echarts.init(moneyNode);
    moneyChart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      // Whole 万 steps (nothing paid yet would otherwise give steps of 0.00002万), labels that do not overlap.
      xAxis: { type: "value", min: 0, minInterval: 10000, axisLabel: { hideOverlap: true, formatter: function (v) {
        return (v / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 1 }) + "万"; } } },
      yAxis: { type: "category", inverse: true, data: money.map(function (m) { return m.name; }) },
      series: [{ name: "发放金额（元）", type: "bar", data: money.map(function (m) { return m.value; }),
                 itemStyle: { color: "#a52834" } }]
    });
    moneyChart.on("click", function (event) { go(money[event.dataIndex] && money[event.dataIndex].url); });
    window.addEventListener("resize", function () { moneyChart.resize(); });
  }

  var mapNode = document.getElementById("map");
  if (mapNode && window.L) {
    var points = data.map.points;
    var center = data.map.center || (points.length ? [points[0].lat, points[0].lng] : [34.27, 108.94]);
    var map = window.L.map(mapNode, { attributionControl: !!data.map.tiles }).setView(center, 10);
    if (data.map.tiles) { window.L.tileLayer(data.map.tiles, { maxZoom: 18 }).addTo(map); }
    var markers = points.map(function (p) {
      var marker = window.L.circleMarker([p.lat, p.lng], { radius: 5, color: "#a52834", weight: 1, fillOpacity: 0.7 });
      var text = document.createElement("div");
      var strong = document.createElement("strong");
      strong.textContent = p.name;
      text.appendChild(strong);
      text.appendChild(document.createElement("br"));
      text.appendChild(document.createTextNode(p.org));
      return marker.bindPopup(text).addTo(map);
    });
    if (markers.length > 1) { map.fitBounds(window.L.featureGroup(markers).getBounds(), { padding: [16, 16] }); }
  }
}());
