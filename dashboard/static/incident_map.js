/* Incident map: the browser half of dashboard/mapview.py.
 *
 * Loaded once with the base map (Leaflet and Leaflet.markercluster before it). Python sends
 * data only; every piece of HTML it sends was escaped in dashboard/popup.py, and every text
 * this file puts in the page itself goes through textContent.
 */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || {});

  /* A JSON file the dashboard publishes gzip-compressed (dashboard/datafiles.py), fetched
   * once however many layers read it. */
  var fetched = {};
  function fetchJSON(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
        var inflated = response.body.pipeThrough(new DecompressionStream("gzip"));
        return new Response(inflated).json();
      });
    }
    return fetched[url];
  }

  /* The map loads its scripts one after another (streamlit-folium), this one first: the
   * data files named in its own URL (?prefetch=URL, dashboard/mapview.py) are fetched and
   * decoded while Leaflet and Leaflet.markercluster load, not after. Nothing here needs L. */
  var thisScript = document.currentScript;
  if (thisScript && thisScript.src) {
    new URL(thisScript.src).searchParams.getAll("prefetch").forEach(fetchJSON);
  }

  /* A GeoJSON outline layer in its own pane, not clickable: `data` inline, or
   * options.source = {url, key}: that member of the JSON file at url. */
  IM.outline = function (data, options) {
    var layer = L.geoJSON(data, {
      pane: options.pane,
      interactive: false,
      attribution: options.attribution || null,
      style: function () {
        return options.style;
      },
    });
    if (options.source) {
      fetchJSON(options.source.url).then(function (all) {
        layer.addData(all[options.source.key]);
      });
    }
    return layer;
  };

  /* Text labels (municipality names; `kind` "landmark": the curated border crossings,
   * mountains and villages), shown from `minZoom` on. A label is [lat, lon, text, rank]:
   * where two labels of the map would overlap, the one of higher rank is hidden (a village
   * gives way to a municipality's name, that to a border crossing or a mountain) until a
   * zoom sets them apart. */
  IM.labels = function (map, labels, pane, minZoom, kind) {
    kind = kind || "label";
    var group = L.layerGroup();
    var all = map._imLabels || (map._imLabels = []);
    labels.forEach(function (label) {
      var span = document.createElement("span");
      span.textContent = label[2];
      var marker = L.marker([label[0], label[1]], {
        pane: pane,
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "im-" + kind, html: span, iconSize: null }),
      }).addTo(group);
      all.push({ marker: marker, rank: label[3] === undefined ? 1 : label[3], order: all.length });
    });
    function toggle() {
      var container = map.getContainer();
      if (map.getZoom() < minZoom) container.classList.add("im-hide-" + kind + "s");
      else container.classList.remove("im-hide-" + kind + "s");
    }
    map.on("zoomend", toggle);
    toggle();
    if (!map._imDeclutter) {
      var queued = false; // one pass a frame, however many events ask for it
      map._imDeclutter = function () {
        if (queued) return;
        queued = true;
        requestAnimationFrame(function () {
          queued = false;
          declutter(map._imLabels, controlBoxes(map));
        });
      };
      // moveend: a pan moves the names, not the controls over them (and ends every zoom)
      map.on("moveend overlayadd overlayremove resize", map._imDeclutter);
      map.whenReady(map._imDeclutter);
      if (document.fonts && document.fonts.ready) document.fonts.ready.then(map._imDeclutter);
    }
    group.on("add", map._imDeclutter);
    return group;
  };

  var LABEL_GAP = 2; // px kept between two labels

  /* The boxes of the controls over the map (zoom buttons, legend, scale, attribution...): a
   * name they would cut gives way. Not the layer list opened over the map, which closes
   * again as soon as the pointer leaves it. */
  function controlBoxes(map) {
    var boxes = [];
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (control) {
      if (control.classList.contains("leaflet-control-layers-expanded")) return;
      var box = control.getBoundingClientRect();
      if (box.width && box.height) boxes.push(box);
    });
    return boxes;
  }

  function declutter(entries, obstacles) {
    var kept = (obstacles || []).slice();
    entries
      .slice()
      .sort(function (a, b) {
        return a.rank - b.rank || a.order - b.order;
      })
      .forEach(function (entry) {
        var element = entry.marker.getElement();
        if (!element) return; // its layer is off the map
        element.classList.remove("im-crowded");
        var box = element.firstChild.getBoundingClientRect();
        if (!box.width) return; // hidden below its zoom
        var overlaps = kept.some(function (other) {
          return (
            box.left < other.right + LABEL_GAP &&
            other.left < box.right + LABEL_GAP &&
            box.top < other.bottom + LABEL_GAP &&
            other.top < box.bottom + LABEL_GAP
          );
        });
        if (overlaps) element.classList.add("im-crowded");
        else kept.push(box);
      });
  }

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
      foldable(box, map);
      IM.legendBox = box;
      if (options.regions) regionLegend(box); // before any fit: the fits read the legend's size
      return box;
    };
    control.addTo(map);
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    return control;
  };

  /* The legend folds into a small "Legend" button (it covers a corner of the map) and stays
   * as the reader left it, on later visits too (the browser's storage, where it may). Until
   * the reader has chosen, it starts folded on a narrow map, where it would hide much of it
   * (a map with no width yet, its frame not laid out, is judged once it has one). */
  var LEGEND_FOLDED = "incident-map:legend-folded";
  var LEGEND_MIN_MAP_WIDTH = 560;
  function foldable(box, map) {
    var button = L.DomUtil.create("button", "im-legend-toggle", box);
    button.type = "button";
    box.insertBefore(button, box.firstChild);
    function show(folded) {
      box.classList.toggle("im-legend-folded", folded);
      button.textContent = folded ? "Legend" : "×";
      button.title = folded ? "Show the legend" : "Hide the legend";
      button.setAttribute("aria-expanded", folded ? "false" : "true");
    }
    var width = map.getSize().x, chosen = null;
    try {
      chosen = window.localStorage.getItem(LEGEND_FOLDED);
    } catch (e) {} // storage off: as the map's width has it
    var folded = chosen !== null ? chosen === "1" : width > 0 && width < LEGEND_MIN_MAP_WIDTH;
    show(folded);
    if (chosen === null && !width) {
      // bound before IncidentMap.fit's refit on resize, so that it fits beside the legend as shown
      map.on("resize", function judge(e) {
        if (!e.newSize.x) return;
        map.off("resize", judge);
        if (chosen === null) show((folded = e.newSize.x < LEGEND_MIN_MAP_WIDTH));
      });
    }
    L.DomEvent.on(button, "click", function () {
      chosen = "clicked";
      folded = !folded;
      show(folded);
      if (map._imDeclutter) map._imDeclutter(); // the names it covered, or no longer covers
      try {
        window.localStorage.setItem(LEGEND_FOLDED, folded ? "1" : "0");
      } catch (e) {}
    });
  }

  /* Fit the map to `bounds` (with `options`: maxZoom, padding) beside the open legend, which
   * stands in the map's bottom-left corner: the bounds go above it or to its right, whichever
   * shows them closer (above on a tie), so that no incident starts out under it. Unless that
   * costs more than a zoom level (a small map): the reader can fold the legend away. */
  var LEGEND_CLEARANCE = 8; // px between the legend and the fitted bounds
  var STYLE_WAIT_MS = 1500; // under the 2 s that IM.incidents waits for the opening view
  var STYLE_LATE_MS = 10000; // how long a fit made without the stylesheet watches for it
  var SIZE_WAIT_MS = 10000; // how long a fit made on a map of no size waits for its size
  IM.fit = function (map, bounds, options) {
    // The opening view is fitted from the map's script, which streamlit-folium runs without
    // waiting for the stylesheets it adds: until incident_map.css is in, the legend is a
    // block of text below the map, whose size says nothing. Wait for it (checked every 50 ms).
    // (map._imFitsPending counts the fits still to come, for the browser tests.)
    var box = IM.legendBox, waited = 0;
    map._imFitsPending = (map._imFitsPending || 0) + 1;
    if (!map._imRefits) {
      map._imRefits = true;
      map.on("resize", refitOnResize);
    }
    var styled = function () {
      return !box || getComputedStyle(box).getPropertyValue("--im-styled").trim() === "1";
    };
    var mine = null; // this fit's record in map._imFitted (followed on resize: refitOnResize)
    var fit = function () {
      mine = map._imFitted = { bounds: bounds, options: options, zoom: null, center: null };
      fitAndRecord(map, mine, options);
    };
    var done = function () {
      map._imFitsPending -= 1;
    };
    (function attempt() {
      if (styled() || waited >= STYLE_WAIT_MS) {
        fit();
        if (styled()) return sized();
        return lateStyle();
      }
      waited += 50;
      setTimeout(attempt, 50);
    })();
    // Fitted before the stylesheet came (a slow machine): once it does, the legend takes its
    // place over the map, so fit again (unless the view was moved since) and let the names
    // under it give way.
    function lateStyle() {
      if (styled()) {
        if (mine && map._imFitted === mine && stillFitted(map, mine)) fit();
        if (map._imDeclutter) map._imDeclutter();
        return sized();
      }
      if (waited >= STYLE_WAIT_MS + STYLE_LATE_MS) return done();
      waited += 200;
      setTimeout(lateStyle, 200);
    }
    // Fitted on a map of no size: streamlit-folium's frame can get its width after the map's
    // script ran (a slow machine). The fit, at the least zoom, is done again on the resize that
    // gives the map its size (refitOnResize); until then (or 10 s) it counts as still to come.
    function sized() {
      var size = map.getSize();
      if (size.x && size.y) return done();
      var timer = setTimeout(function () {
        map.off("resize", resized);
        done();
      }, SIZE_WAIT_MS);
      function resized() {
        clearTimeout(timer);
        done();
      }
      map.once("resize", resized); // after refitOnResize, which was bound first
    }
  };
  /* A resize of the map (its frame laid out late, the window resized) keeps the centre and
   * the zoom, which suit the old size: if the view is still the one a fit set, fit again. */
  function refitOnResize() {
    var map = this, last = map._imFitted;
    if (!last || !stillFitted(map, last)) return;
    fitAndRecord(map, last, L.extend({}, last.options, { animate: false }));
  }
  /* Fit to record.bounds; record the view it sets (at once, or when its animation ends: Leaflet
   * ends every setView with a moveend, a move of nothing included). */
  function fitAndRecord(map, record, options) {
    record.zoom = record.center = null;
    map.once("moveend", function () {
      record.zoom = map.getZoom();
      record.center = map.getCenter();
    });
    fitBeside(map, record.bounds, options);
  }
  /* The view is the one `fitted` recorded: the same zoom, the centre within a pixel (a resize
   * keeps the centre to the nearest pixel). */
  function stillFitted(map, fitted) {
    if (fitted.zoom === null || map.getZoom() !== fitted.zoom) return false;
    var zoom = fitted.zoom;
    return map.project(map.getCenter(), zoom).distanceTo(map.project(fitted.center, zoom)) <= 1;
  }
  function fitBeside(map, bounds, options) {
    bounds = L.latLngBounds(bounds);
    options = L.extend({ padding: [0, 0] }, options);
    var margin = L.point(options.padding);
    delete options.padding;
    var zoomOf = function (pad) {
      return Math.min(map.getBoundsZoom(bounds, false, pad[0].add(pad[1])), options.maxZoom || Infinity);
    };
    var best = [margin, margin]; // [top-left, bottom-right]
    var box = IM.legendBox;
    if (box && !box.classList.contains("im-legend-folded")) {
      var frame = map.getContainer().getBoundingClientRect(), legend = box.getBoundingClientRect();
      var above = [margin, L.point(margin.x, Math.max(margin.y, frame.bottom - legend.top + LEGEND_CLEARANCE))];
      var right = [L.point(Math.max(margin.x, legend.right - frame.left + LEGEND_CLEARANCE), margin.y), margin];
      var beside = zoomOf(right) > zoomOf(above) ? right : above;
      if (zoomOf(beside) >= zoomOf(best) - 1) best = beside;
    }
    map.fitBounds(bounds, L.extend({ paddingTopLeft: best[0], paddingBottomRight: best[1] }, options));
  }

  /* Incidents known only by their region ("Northern Kosovo": geo_precision 3) are drawn at
   * the region's centre as a pale dashed ring, not as a point where something happened. */
  var REGION_STYLE = { fillOpacity: 0.18, weight: 2, dashArray: "3 3" };

  function regionLegend(box) {
    var row = L.DomUtil.create("div", "im-legend-row im-legend-region", box);
    var ring = L.DomUtil.create("span", "im-legend-ring", row);
    ring.title = "only a region";
    var name = L.DomUtil.create("span", "im-legend-name", row);
    name.textContent = "Only a region known: drawn at its centre";
    box.insertBefore(row, box.querySelector(".im-legend-note"));
  }

  /* The wheel scrolls the page over the map, as it does over the rest of the page (the map
   * is most of the screen: the wheel zoomed it when a reader meant to reach the table). It
   * zooms the map once the map has been clicked, until the pointer leaves it, or with Ctrl
   * (or ⌘) held; a wheel over the map otherwise says so for a moment. */
  IM.wheel = function (map) {
    var container = map.getContainer();
    var hint = L.DomUtil.create("div", "im-wheel-hint", container);
    hint.textContent = "To zoom with the wheel, click the map first or hold Ctrl";
    var hideTimer = null;
    map.scrollWheelZoom.disable();
    // A click arms the wheel: on the map, or on a marker or a cluster (their clicks do not
    // reach the map: the marker cluster group passes them on to IM.armWheel).
    IM.armWheel = function () { map.scrollWheelZoom.enable(); };
    map.on("click focus", IM.armWheel);
    container.addEventListener("mouseleave", function () { map.scrollWheelZoom.disable(); });
    container.addEventListener(
      "wheel",
      function (e) {
        if (map.scrollWheelZoom.enabled() || !e.deltaY) return; // (sideways: not a zoom)
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault(); // the map's zoom, not the browser's
          var step = e.deltaY < 0 ? 0.5 : -0.5;
          map.setZoomAround(map.mouseEventToContainerPoint(e), map.getZoom() + step);
          return;
        }
        hint.classList.add("im-shown");
        clearTimeout(hideTimer);
        hideTimer = setTimeout(function () { hint.classList.remove("im-shown"); }, 1600);
      },
      { passive: false }
    );
  };

  /* Incidents per event type under a cluster. A walk over the cluster tree of
   * Leaflet.markercluster 1.5.3 (its _markers and _childClusters) rather than
   * getAllChildMarkers(), which builds an array of every marker below: at 100,000 incidents
   * the first clusters' icons cost ~0.2 s that way. */
  function countTypes(cluster, counts) {
    var markers = cluster._markers;
    var children = cluster._childClusters;
    for (var i = 0; i < markers.length; i++) {
      var type = markers[i].options.typeIndex;
      counts[type] = (counts[type] || 0) + 1;
    }
    for (var j = 0; j < children.length; j++) countTypes(children[j], counts);
    return counts;
  }

  /* Cluster icon: a ring split by event type, the count in the middle. */
  function clusterIcon(coloursOf) {
    return function (cluster) {
      var colours = coloursOf();
      var counts = countTypes(cluster, {});
      var total = cluster.getChildCount();
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

  /* Every incident of the data file, as canvas circle markers in one marker cluster group
   * that stays on the map for the page's life. An incident is shown when it passes the
   * filters (the bits IM.show receives on every rerun) and it is on the map on some day of
   * the date window: its day, or, for one that lasted, any day from its day to its last;
   * only the markers whose visibility changed are added or removed.
   *
   * The date window is read from the page's date slider as it moves (IM.sliderWindow), so a
   * step redraws the map at once instead of after the rerun; the rerun's view then carries
   * the same window. Without a readable slider, the window is the one the rerun sent.
   *
   * The data (dashboard/mapdata.py: map_data) is fetched once from `url`, gzip-compressed
   * JSON, column-wise: lat/lon (integers of 1e-5 degree), day (days since 1970-01-01, null
   * when undated), lasting (at: the incidents that lasted, until: the last day of each),
   * type, sources, ids, and per incident four indices into `parts` (escaped
   * popup fragments): head, place, when, detail. Markers are created the first time they
   * are shown; popups are bound on first click.
   *
   * IM.view is the state the tests and the benchmark read: `seq` counts the windows and
   * views asked for, `count` is how many incidents the latest one shows, `window` its days,
   * `source` "slider" or "rerun", `done` is true once the cluster group holds exactly those;
   * `rerun` is the latest view the server sent ({seq, count, window}); `error` says why the
   * data could not be loaded; `told` what the map told the app ("drawn", "failed": see
   * tellTheApp).
   */
  var COORD_SCALE = 1e5;
  var NO_DAY = -2147483648; // an undated incident: in no window
  var DAY_US = 864e8; // the slider's values are microseconds since the epoch
  var SLIDER_INPUTS = 'input[type="range"][aria-label^="Date window"]';
  var state = null;

  IM.view = {
    seq: 0, count: 0, window: null, source: null, done: false, error: null, cluster: null, told: null,
    focused: null, // the incident shown for the table's selected row (its index), if any
    fitted: null, // the bounds the map was last fitted to (a place filter's), as JSON
    rerun: { seq: 0, count: 0, window: null },
  };

  /* The date slider around this iframe (Streamlit's page, the same origin): its two range
   * inputs, or null (no slider: one day of data; or a page that cannot be read). */
  function parentDocument() {
    try {
      return window.parent !== window ? window.parent.document : null;
    } catch (e) {
      return null; // another origin: the reruns still move the window
    }
  }

  function sliderInputs() {
    var doc = parentDocument();
    var inputs = doc ? doc.querySelectorAll(SLIDER_INPUTS) : [];
    return inputs.length === 2 ? inputs : null;
  }

  /* The window the slider shows now: [first day, last day], or null. */
  IM.sliderWindow = function () {
    var inputs = sliderInputs();
    if (!inputs) return null;
    var first = Number(inputs[0].value) / DAY_US;
    var last = Number(inputs[1].value) / DAY_US;
    if (!isFinite(first) || !isFinite(last) || first > last) return null;
    return [Math.round(first), Math.round(last)];
  };

  /* Follow the slider: its inputs' values change as it is dragged or stepped (and when a
   * rerun sets it: ◀ / ▶, play). At most one redraw a frame. */
  function watchSlider() {
    var doc = parentDocument();
    if (!doc || !window.MutationObserver) return;
    var queued = false;
    function changed(target) {
      if (queued || !target || !target.matches || !target.matches(SLIDER_INPUTS)) return;
      queued = true;
      requestAnimationFrame(function () {
        queued = false;
        var live = IM.sliderWindow();
        if (!live || !state) return;
        state.sliderMoves += 1;
        want(live, "slider");
      });
    }
    new MutationObserver(function (records) {
      for (var k = 0; k < records.length; k++) changed(records[k].target);
    }).observe(doc.body, { subtree: true, attributes: true, attributeFilter: ["value"] });
    doc.addEventListener("input", function (e) { changed(e.target); }, true);
  }

  IM.incidents = function (map, url) {
    var renderer = L.canvas({ padding: 0.5 });
    var onChunksDone = null;
    var cluster = L.markerClusterGroup({
      chunkedLoading: true, // a first window of 100,000 markers would freeze the page
      chunkInterval: 120,
      chunkDelay: 10,
      chunkProgress: function (done, total) {
        if (done === total && onChunksDone) {
          var then = onChunksDone;
          onChunksDone = null;
          then();
        }
      },
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      maxClusterRadius: 56,
      // The legs to spread-out markers are drawn above the markers' canvas: a click on a
      // marker must not land on its leg (it went on to the map, which folded them back).
      spiderLegPolylineOptions: { weight: 1, color: "#333", opacity: 0.5, interactive: false },
      iconCreateFunction: clusterIcon(function () {
        return state && state.data ? state.data.colours : [];
      }),
    });
    // The group listens to every marker it holds for dragstart/move/dragend, to re-cluster
    // a marker that moves. These markers never move, and at 100,000 incidents those
    // listeners cost ~0.1 s to attach and as much again in garbage collection.
    cluster._childMarkerEventHandlers = {};
    state = {
      map: map,
      renderer: renderer,
      // The options every marker shares live on the class, so each marker copies only its own.
      Marker: L.CircleMarker.extend({
        options: {
          renderer: renderer,
          color: "#ffffff",
          fillOpacity: 0.92,
          // A click opens the marker's popup and stops there, as L.Marker's do (a circle's
          // clicks go on to the map by default, where Leaflet.markercluster takes a click
          // as leaving the spread-out markers of a shared point: it folded them back).
          bubblingMouseEvents: false,
        },
      }),
      cluster: cluster,
      data: null,
      markers: null,
      days: null, // Int32Array: each incident's day, NO_DAY when undated
      until: null, // Int32Array: each incident's last day on the map (its day, unless it lasted)
      shown: null, // Uint8Array: 1 where the marker is in the cluster group
      shownCount: 0,
      filter: null, // Uint8Array of bits: the incidents that pass the filters (latest rerun)
      window: null, // the window to show: [first day, last day]
      dirty: false, // filter or window changed since the cluster group was brought to them
      sliderMoves: 0, // slider changes seen (watchSlider)
      movesAtView: 0, // ... when the latest rerun's view arrived
      busy: false,
      details: null, // incident index -> sources HTML sent with the current view
      focus: null, // the incident selected in the table (the latest view), or null
      fit: null, // the bounds of the places a filter keeps (the latest view), or null
      viewSet: false, // the map's initial view is set (its zoom animation ended)
      afterView: null, // what waits for it (a fit)
      addAll: function (markers, then) {
        onChunksDone = then;
        cluster.addLayers(markers, true); // no "layeradd" event per marker: nothing listens
      },
    };
    IM.view.cluster = cluster;
    // The initial view comes next (base_map's fitBounds, animated or not): until it has
    // ended, a place filter's fit waits (fitOnce). Should it never come, after 2 s.
    function viewSet() {
      if (state.viewSet) return;
      state.viewSet = true;
      var then = state.afterView;
      state.afterView = null;
      if (then) then();
    }
    map.once("moveend", viewSet);
    setTimeout(viewSet, 2000);
    cluster.addTo(map);
    showAllControl(map, cluster);
    if (IM.view.wanted) takeView(IM.view.wanted); // IM.show ran first
    IM.view.wanted = null;
    watchSlider();
    // One click handler for every marker: binding a popup to 100,000 markers up front
    // costs more than drawing them.
    cluster.on("clusterclick", function () { if (IM.armWheel) IM.armWheel(); });
    cluster.on("click", function (e) {
      if (IM.armWheel) IM.armWheel();
      var marker = e.layer;
      if (!marker || marker.options.index === undefined || marker.getPopup()) return;
      openPopup(marker, e.latlng);
    });
    fetchJSON(url).then(
      function (data) {
        state.data = data;
        state.markers = new Array(data.count);
        state.shown = new Uint8Array(data.count);
        state.days = new Int32Array(data.count);
        for (var i = 0; i < data.count; i++) state.days[i] = data.day[i] === null ? NO_DAY : data.day[i];
        state.until = state.days.slice();
        var lasting = data.lasting || { at: [], until: [] };
        for (var k = 0; k < lasting.at.length; k++) state.until[lasting.at[k]] = lasting.until[k];
        state.regions = new Set(data.regions || []);
        apply();
      },
      function (error) {
        IM.view.error = String((error && error.message) || error);
        problem(map, "The incidents could not be loaded (" + IM.view.error + "). Reload the page.");
        tellTheApp("failed");
      }
    );
    return cluster;
  };

  /* A button under the zoom buttons that brings every incident on the map back into view
   * (after a selected incident, a place or a wheel took the map close in). */
  function showAllControl(map, cluster) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var bar = L.DomUtil.create("div", "leaflet-bar im-show-all");
      var button = L.DomUtil.create("a", "", bar);
      button.href = "#";
      button.setAttribute("role", "button");
      button.title = "Show all the incidents on the map";
      button.setAttribute("aria-label", button.title);
      // four corners: an inline drawing (no icon font, no glyph a font may lack)
      button.innerHTML = '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">' +
        '<path d="M1 5V1h4M9 1h4v4M13 9v4H9M5 13H1V9" fill="none" stroke="#333" stroke-width="2"/></svg>';
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.preventDefault(e);
        var bounds = cluster.getBounds();
        if (bounds.isValid()) IM.fit(map, bounds, { maxZoom: 12, padding: [24, 24] });
      });
      return bar;
    };
    control.addTo(map);
  }

  function problem(map, text) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "im-problem leaflet-bar");
      box.textContent = text;
      return box;
    };
    control.addTo(map);
  }

  /* The view of this rerun: {mask: base64 bits (the incidents that pass the filters),
   * window: [first day, last day], count, details: {at: [...], html: [...]} | null,
   * focus: the index of the incident selected in the table, or null,
   * fit: [[south, west], [north, east]] of the places a filter keeps, or null}. */
  IM.show = function (group, view) {
    // streamlit-folium keeps every feature group it ever added in window.feature_group and
    // removes them from the map before adding the new one: let go of the removed ones.
    if (Array.isArray(window.feature_group)) {
      window.feature_group = window.feature_group.filter(function (g) { return g._map; });
    }
    var rerun = IM.view.rerun;
    IM.view.rerun = { seq: rerun.seq + 1, count: view.count, window: view.window };
    if (!state) {
      IM.view.wanted = view; // IM.incidents has not run yet
      return;
    }
    takeView(view);
  };

  function takeView(view) {
    var details = null;
    if (view.details) {
      details = {};
      for (var k = 0; k < view.details.at.length; k++) details[view.details.at[k]] = view.details.html[k];
    }
    state.details = details;
    state.filter = bitsOf(view.mask);
    state.focus = view.focus === undefined ? null : view.focus;
    state.fit = view.fit || null;
    // The rerun's window, unless the slider has moved since the previous rerun's view (the
    // user is ahead of the server: going back to this window would flicker). A slider that
    // has not moved yet to the window a rerun set (◀ / ▶, play) catches up when it does.
    var live = IM.sliderWindow();
    var ahead = live && state.sliderMoves > state.movesAtView;
    state.movesAtView = state.sliderMoves;
    want(ahead ? live : view.window, ahead ? "slider" : "rerun", true);
  }

  /* Ask for a window (and the latest filter bits): redraw unless nothing changed. */
  function want(window_, source, filterChanged) {
    if (!state) return;
    var same = state.window && state.window[0] === window_[0] && state.window[1] === window_[1];
    if (same && !filterChanged) return;
    state.window = window_;
    state.dirty = true;
    IM.view.seq += 1;
    IM.view.source = source;
    IM.view.done = false;
    apply();
  }

  function bitsOf(base64) {
    var text = atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  function markerAt(i) {
    var marker = state.markers[i];
    if (marker) return marker;
    var d = state.data;
    var sources = d.sources[i];
    var colour = d.colours[d.type[i]] || "#888";
    var options = {
      radius: sourceRadius(sources),
      weight: sources > 1 ? 1.6 : 1,
      fillColor: colour,
      typeIndex: d.type[i],
      incidentId: d.ids[i],
      sourceCount: sources,
      index: i,
    };
    if (state.regions && state.regions.has(i)) {
      L.extend(options, REGION_STYLE, { color: colour, region: true });
    }
    marker = new state.Marker(new L.LatLng(d.lat[i] / COORD_SCALE, d.lon[i] / COORD_SCALE), options);
    state.markers[i] = marker;
    return marker;
  }

  function openPopup(marker, latlng) {
    if (!marker.getPopup()) {
      marker.bindPopup(popupHtml, {
        maxWidth: 420,
        minWidth: 280,
        maxHeight: 360,
        autoPanPadding: L.point(24, 24),
      });
    }
    marker.openPopup(latlng);
  }

  /* The bounds of the places a filter keeps, when they change: the map is fitted to them
   * once (the user may zoom away), again when the filter changes. */
  function fitOnce(bounds) {
    var key = bounds ? JSON.stringify(bounds) : null;
    if (key === IM.view.fitted) return;
    IM.view.fitted = key;
    if (!bounds) return;
    function fit() {
      if (IM.view.fitted === key) IM.fit(state.map, bounds, { maxZoom: 13, animate: false });
    }
    // The map's own initial view (all the incidents), set after this script's first call,
    // zooms in an animation whose end would undo this fit: fit once that view is set.
    if (state.viewSet) fit();
    else state.afterView = fit;
  }

  /* The incident of the table's selected row (view.focus: its index), once: zoom until its
   * marker is out of its cluster and open its popup. Not again for the same row (the user
   * may have closed it or moved on), nor later for an incident the map did not show. */
  function focusOn() {
    var i = state.focus;
    if (i === null || i === undefined) {
      IM.view.focused = null;
      return;
    }
    if (i === IM.view.focused) return;
    IM.view.focused = i; // once, even when the map does not show it (the slider is ahead)
    if (!state.shown[i]) return;
    var marker = state.markers[i];
    var group = sameSpot(marker);
    if (!group) {
      state.cluster.zoomToShowLayer(marker, function () { openPopup(marker); });
      return;
    }
    // Incidents at one point (a place's several incidents, a region's centre) never come
    // apart by zooming: zoomToShowLayer went to the closest zoom (a street's width, for a
    // region!) before spreading them. Zoom only until their cluster stands apart from the
    // other places, then spread it.
    var map = state.map;
    var cluster = state.cluster;
    var until = Date.now() + 2000; // then the user may be doing something else
    function stop() {
      map.off("moveend", show);
      cluster.off("animationend", show);
    }
    function show() { // as zoomToShowLayer does once the view is set
      if (Date.now() > until || IM.view.focused !== i) return stop();
      if (cluster._inZoomAnimation) return;
      var onMap = map.hasLayer(marker);
      var drawn = marker.__parent; // the cluster drawn for it (canvas markers have no _icon)
      while (drawn && !drawn._icon) drawn = drawn.__parent;
      if (!onMap && !drawn) return;
      stop();
      if (onMap) return openPopup(marker);
      // only this spread: a spread that does not happen must not open the popup on another's
      cluster.once("spiderfied", function (e) { if (e.cluster === drawn) openPopup(marker); });
      drawn.spiderfy();
    }
    map.on("moveend", show);
    cluster.on("animationend", show);
    map.setView(marker.getLatLng(), Math.max(Math.round(map.getZoom()), group._zoom), { animate: false });
    show();
  }

  /* The widest cluster holding ``marker`` whose markers all stand at its point (null when
   * it has none): the zoom at which that cluster is drawn (its _zoom) is the least zoom at
   * which they stand apart from every other place. */
  function sameSpot(marker) {
    var group = null;
    var c = marker.__parent;
    var at = marker.getLatLng();
    while (c && c._bounds && c._bounds.getSouthWest().equals(at) && c._bounds.getNorthEast().equals(at)) {
      group = c;
      c = c.__parent;
    }
    return group;
  }

  function popupHtml(marker) {
    var d = state.data;
    var i = marker.options.index;
    var detail = (state.details && state.details[i]) || d.parts[d.detail[i]];
    return (
      '<div class="im-popup">' + d.parts[d.head[i]] + d.parts[d.place[i]] +
      d.parts[d.when[i]] + detail +
      // the incident by its index (a number, not text from the data): see readInArticles
      '<button type="button" class="im-read" data-index="' + i + '">' +
      "Read the sources in their articles ↓</button></div>"
    );
  }

  /* A popup's button asks the app to show the incident's sources in their articles (below
   * the page's table, where a selected row shows them). The map has one component value
   * (toApp): what it told (tellTheApp) and the latest such request, `seq` making each click
   * a new value (a second click on the same incident, after another choice, still counts).
   * A click while the markers are still being added does not say they are drawn. The
   * document hears every click first (capture), whatever Leaflet does with it after. */
  var toApp = { incident_map: null };
  var readClicks = 0;
  function sendToApp() {
    window.parent.postMessage(
      {
        isStreamlitMessage: true,
        type: "streamlit:setComponentValue",
        value: toApp,
        dataType: "json",
      },
      "*"
    );
  }

  function readInArticles(event) {
    var button = event.target && event.target.closest ? event.target.closest(".im-read") : null;
    if (!button || !state || !state.data) return;
    var id = state.data.ids[Number(button.getAttribute("data-index"))];
    if (id === undefined) return;
    readClicks += 1;
    toApp = { incident_map: toApp.incident_map, read: id, seq: Date.now() + "-" + readClicks };
    sendToApp();
  }
  document.addEventListener("click", readInArticles, true);

  /* Bring the cluster group to the filter bits and the window: one pass over the
   * incidents, then remove and add only the markers that changed. A chunked add in progress
   * finishes first. */
  function apply() {
    if (!state || !state.data || state.busy || !state.dirty || !state.filter) return;
    state.dirty = false;
    var first = state.window[0];
    var last = state.window[1];
    var bits = state.filter;
    var days = state.days;
    var until = state.until;
    var n = state.data.count;
    var shown = state.shown;
    var add = [];
    var remove = [];
    var count = 0;
    for (var i = 0; i < n; i++) {
      var on = days[i] <= last && until[i] >= first ? (bits[i >> 3] >> (i & 7)) & 1 : 0;
      count += on;
      if (on === shown[i]) continue;
      shown[i] = on;
      if (on) add.push(markerAt(i));
      else remove.push(state.markers[i]);
    }
    IM.view.count = count;
    IM.view.window = [first, last];
    if (remove.length) {
      if (remove.length === state.shownCount) state.cluster.clearLayers();
      else state.cluster.removeLayers(remove);
      state.shownCount -= remove.length;
    }
    if (!add.length) return settle();
    state.busy = true;
    state.shownCount += add.length;
    state.addAll(add, function () {
      state.busy = false;
      settle();
    });
  }

  function settle() {
    if (state.dirty) return apply(); // a newer window or view came while this one was drawn
    IM.view.done = true;
    tellTheApp("drawn");
    fitOnce(state.fit);
    focusOn();
  }

  /* The first time the map has drawn its incidents (or could not load them), it tells the
   * app, which then sends the rest of the page: on a session's first run the timeline, the
   * tables and the sidebar's filters wait for the map (dashboard/app.py), as rendering them
   * would hold up the map on the page's one main thread. The message is a component value,
   * as streamlit-folium's own frontend sends (it sends none itself: no returned objects).
   * Once per page life; IM.view.told says which. */
  function tellTheApp(status) {
    if (IM.view.told) return;
    IM.view.told = status;
    toApp = { incident_map: status, read: toApp.read, seq: toApp.seq }; // a request kept
    sendToApp();
  }
})();
