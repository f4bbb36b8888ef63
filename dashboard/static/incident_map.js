/* Incident map: the browser half of dashboard/mapview.py.
 *
 * Loaded once with the base map (Leaflet and Leaflet.markercluster before it). Python sends
 * data only; every piece of HTML it sends was escaped in dashboard/popup.py, and every text
 * this file puts in the page itself goes through textContent.
 */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || {});

  /* A GeoJSON outline layer in its own pane, not clickable. */
  IM.outline = function (data, options) {
    return L.geoJSON(data, {
      pane: options.pane,
      interactive: false,
      attribution: options.attribution || null,
      style: function () {
        return options.style;
      },
    });
  };

  /* Text labels (municipality names), shown from `minZoom` on. */
  IM.labels = function (map, labels, pane, minZoom) {
    var group = L.layerGroup();
    labels.forEach(function (label) {
      var span = document.createElement("span");
      span.textContent = label[2];
      L.marker([label[0], label[1]], {
        pane: pane,
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "im-label", html: span, iconSize: null }),
      }).addTo(group);
    });
    function toggle() {
      var container = map.getContainer();
      if (map.getZoom() < minZoom) container.classList.add("im-hide-labels");
      else container.classList.remove("im-hide-labels");
    }
    map.on("zoomend", toggle);
    toggle();
    return group;
  };

  function sourceRadius(count) {
    return 5.5 + 2.2 * (Math.min(Math.max(count, 1), 4) - 1);
  }
  IM.sourceRadius = sourceRadius;

  /* The legend: event types with their colours, and marker size by number of sources. */
  IM.legend = function (map, options) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "im-legend leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var title = L.DomUtil.create("div", "im-legend-title", box);
      title.textContent = "Event type";
      options.types.forEach(function (entry) {
        var row = L.DomUtil.create("div", "im-legend-row", box);
        var dot = L.DomUtil.create("span", "im-legend-dot", row);
        dot.style.background = entry[1];
        var name = L.DomUtil.create("span", "im-legend-name", row);
        name.textContent = entry[0];
      });
      var sizes = L.DomUtil.create("div", "im-legend-title im-legend-sizes", box);
      sizes.textContent = "Sources per incident";
      var row = L.DomUtil.create("div", "im-legend-row im-legend-sizerow", box);
      [1, 2, 3, 4].forEach(function (n) {
        var item = L.DomUtil.create("span", "im-legend-size", row);
        var dot = L.DomUtil.create("span", "im-legend-sizedot", item);
        var d = 2 * sourceRadius(n);
        dot.style.width = d + "px";
        dot.style.height = d + "px";
        var label = L.DomUtil.create("span", "", item);
        label.textContent = n === 4 ? "4+" : String(n);
      });
      var note = L.DomUtil.create("div", "im-legend-note", box);
      note.textContent = "Numbered rings: clusters, split by type. Click to open.";
      return box;
    };
    control.addTo(map);
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    return control;
  };

  /* Cluster icon: a ring split by event type, the count in the middle. */
  function clusterIcon(colours) {
    return function (cluster) {
      var markers = cluster.getAllChildMarkers();
      var counts = {};
      markers.forEach(function (m) {
        counts[m.options.typeIndex] = (counts[m.options.typeIndex] || 0) + 1;
      });
      var total = markers.length;
      var stops = [];
      var at = 0;
      Object.keys(counts)
        .sort(function (a, b) { return counts[b] - counts[a]; })
        .forEach(function (key) {
          var next = at + (100 * counts[key]) / total;
          stops.push((colours[key] || "#888") + " " + at.toFixed(2) + "% " + next.toFixed(2) + "%");
          at = next;
        });
      var size = total < 10 ? 28 : total < 100 ? 32 : total < 1000 ? 37 : 42;
      var ring = document.createElement("div");
      ring.className = "im-cluster-ring";
      ring.style.background = "conic-gradient(" + stops.join(", ") + ")";
      var inner = document.createElement("span");
      inner.className = "im-cluster-count";
      inner.textContent = total >= 10000 ? Math.round(total / 1000) + "k" : String(total);
      ring.appendChild(inner);
      return L.divIcon({ html: ring, className: "im-cluster", iconSize: L.point(size, size) });
    };
  }

  /* The incidents of the window, as canvas circle markers in a marker cluster group.
   *
   * data = {colours: [css colour per type index],
   *         parts: [escaped HTML fragments],
   *         points: [[lat, lon, typeIndex, sourceCount, [part indices], incidentId], ...]}
   */
  IM.incidentLayer = function (group, data) {
    // One canvas for every incident layer: a renderer stays on the map after its layers go.
    var renderer = (IM.renderer = IM.renderer || L.canvas({ padding: 0.5 }));
    // streamlit-folium keeps every feature group it ever added in window.feature_group and
    // removes them from the map before adding the new one: let go of the removed ones.
    if (Array.isArray(window.feature_group)) {
      window.feature_group = window.feature_group.filter(function (g) { return g._map; });
    }
    var cluster = L.markerClusterGroup({
      chunkedLoading: true,
      chunkInterval: 150,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      maxClusterRadius: 56,
      spiderLegPolylineOptions: { weight: 1, color: "#333", opacity: 0.5 },
      iconCreateFunction: clusterIcon(data.colours),
    });
    var markers = new Array(data.points.length);
    data.points.forEach(function (p, i) {
      var marker = L.circleMarker([p[0], p[1]], {
        renderer: renderer,
        radius: sourceRadius(p[3]),
        color: "#ffffff",
        weight: p[3] > 1 ? 1.6 : 1,
        fillColor: data.colours[p[2]] || "#888",
        fillOpacity: 0.92,
        typeIndex: p[2],
        incidentId: p[5],
        sourceCount: p[3],
      });
      marker.bindPopup(
        function () {
          return '<div class="im-popup">' + p[4].map(function (k) { return data.parts[k]; }).join("") + "</div>";
        },
        { maxWidth: 420, minWidth: 280, maxHeight: 360, autoPanPadding: L.point(24, 24) }
      );
      markers[i] = marker;
    });
    cluster.addLayers(markers);
    group.addLayer(cluster);
    group.incidentCount = markers.length;
    group.incidentCluster = cluster;
    return cluster;
  };
})();
