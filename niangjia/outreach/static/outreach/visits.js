/* niangjia: the visit form that works without a network.
 *
 * The offline list (the cadre's enterprises and households, with what the form prefills) is fetched when
 * online and kept in IndexedDB (Dexie, from npm); a saved visit goes into a local queue with a client id the
 * phone generates, and photos are resized here (canvas → JPEG, at most 1600 px) and kept as blobs. The queue
 * is sent to the API when the network returns (the `online` event, then retries with backoff); the API is
 * idempotent on the client id, so a retried sync never records a visit twice. Each signal carries the fact
 * values the phone showed (`base`): the server keeps a conflict for a person when someone changed them since.
 */
(function () {
  "use strict";
  var app = document.getElementById("visit-app");
  if (!app || typeof Dexie === "undefined") { return; }
  var config = JSON.parse(document.getElementById("visit-config").textContent);
  var API = app.dataset.api;
  var TARGETS = API + "/visits/targets?campaign_id=" + config.campaign;
  var MAX_SIDE = 1600, MAX_PHOTOS = 10, RETRY_MIN = 2000, RETRY_MAX = 300000;
  var STATUS = {queued: "待同步", retry: "待重试", photos: "照片待上传", synced: "已同步", refused: "被退回", auth: "需重新登录后同步"};

  var db = new Dexie("niangjia-visits");
  db.version(1).stores({visits: "client_id, status, campaign", photos: "photo_id, client_id", lists: "campaign"});

  var form = document.getElementById("visit-form");
  var targetSelect = document.getElementById("target");
  var targets = {enterprises: [], households: [], sensitive: false};
  var pendingPhotos = [];
  var position = null;
  var counter = 0;
  var syncing = false, retryDelay = RETRY_MIN, retryTimer = null;
  // navigator.onLine says whether there is a network interface, not whether the server answers: a failed
  // request (or an answer the service worker gave from its cache) marks the network down until a probe passes.
  var networkDown = false, probeTimer = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function option(value, label) { var o = el("option", {value: value}, label); return o; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function kind() { return form.querySelector("input[name=kind]:checked").value; }
  function isOnline() { return navigator.onLine && !networkDown; }
  function markDown() {
    networkDown = true;
    if (!probeTimer) { probeTimer = setInterval(probe, 3000); }
  }
  function markUp() { networkDown = false; clearInterval(probeTimer); probeTimer = null; }
  function probe() {
    fetch(app.dataset.sw, {method: "HEAD", cache: "no-store", credentials: "same-origin"})
      .then(function () { markUp(); retryDelay = RETRY_MIN; sync(); }, function () { render(); });
  }

  /* ---- the offline list ---- */
  function loadTargets() {
    return fetch(TARGETS, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) {
        if (r.headers.get("X-Niangjia-Offline")) { markDown(); } else { markUp(); }
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      }, function (error) { markDown(); throw error; })
      .then(function (data) { return db.lists.put({campaign: config.campaign, data: data, at: Date.now()}).then(function () { return data; }); })
      .catch(function () { return db.lists.get(config.campaign).then(function (row) { return row ? row.data : null; }); })
      .then(function (data) {
        if (data) { targets = data; }
        fillTargets();
      });
  }
  function fillTargets() {
    var home = kind() === "home";
    var rows = home ? targets.households : targets.enterprises;
    targetSelect.innerHTML = "";
    targetSelect.appendChild(option("", rows.length ? (home ? "请选择家庭" : "请选择企业") : "清单为空（请联网后刷新）"));
    rows.forEach(function (row) {
      targetSelect.appendChild(option(String(row.id), (home ? row.label : row.name) + (row.area ? "（" + row.area + "）" : "")));
    });
    document.querySelectorAll(".home-only").forEach(function (node) { node.hidden = !home; });
    $("signals").innerHTML = "";
    Array.prototype.forEach.call($("needs").querySelectorAll("select[data-role=need-kind]"), needKindChanged);
    targetChanged();
  }
  function chosen() {
    var id = Number(targetSelect.value);
    var rows = kind() === "home" ? targets.households : targets.enterprises;
    return rows.filter(function (row) { return row.id === id; })[0] || null;
  }
  function targetChanged() {
    var row = chosen(), last = row && row.last;
    $("last-visit").textContent = last ? "本次活动已走访过：" + last.date + "，见到 " + last.people_met + " 人。本次为回访。" : (row ? "本次活动首次走访。" : "");
    $("satisfaction-label").textContent = last ? "回访满意度" : "首次走访满意度";
    if (last) {
      $("people_met").value = last.people_met;
      $("people_notes").value = last.people_notes || "";
      ["basic_clear", "hardship_clear", "aid_clear"].forEach(function (name) { $(name).checked = !!last[name]; });
    }
    Array.prototype.forEach.call($("signals").querySelectorAll("select[data-role=member]"), fillMembers);
  }

  /* ---- hardship signals ---- */
  function fillMembers(select) {
    var row = chosen();
    select.innerHTML = "";
    select.appendChild(option("", "请选择家庭成员"));
    (row && row.members ? row.members : []).forEach(function (m) { select.appendChild(option(String(m.id), m.name + "（" + m.relation + "）")); });
  }
  function fieldInput(prefix, field) {
    var id = prefix + "-" + field.name, wrap = el("div", {"class": "mb-2"});
    wrap.appendChild(el("label", {"class": "form-label small", "for": id}, field.label + (field.required ? "（必填）" : "")));
    var input;
    if (field.kind === "choice" || field.kind === "bool") {
      input = el("select", {"class": "form-select", id: id, "data-field": field.name, "data-kind": field.kind});
      input.appendChild(option("", field.required ? "请选择" : "不填"));
      var choices = field.kind === "bool" ? [["true", "是"], ["false", "否"]] : field.choices;
      choices.forEach(function (c) { input.appendChild(option(c[0], c[1])); });
    } else {
      var type = field.kind === "text" ? "text" : "number";
      input = el("input", {"class": "form-control", id: id, type: type, "data-field": field.name, "data-kind": field.kind});
      if (field.kind === "money") { input.setAttribute("step", "0.01"); input.setAttribute("min", "0"); input.setAttribute("inputmode", "decimal"); }
      if (field.kind === "int") { input.setAttribute("inputmode", "numeric"); }
      if (field.kind === "text") { input.setAttribute("maxlength", "64"); }
    }
    wrap.appendChild(input);
    return wrap;
  }
  function signalKindChanged(block) {
    var prefix = block.dataset.prefix, spec = config.signals[block.querySelector("[data-role=signal-kind]").value];
    var fields = block.querySelector(".signal-fields");
    fields.innerHTML = "";
    if (!spec) { return; }
    if (spec.member) {
      var wrap = el("div", {"class": "mb-2"});
      wrap.appendChild(el("label", {"class": "form-label small", "for": prefix + "-member"}, "家庭成员"));
      var member = el("select", {"class": "form-select", id: prefix + "-member", "data-role": "member"});
      wrap.appendChild(member);
      fields.appendChild(wrap);
      fillMembers(member);
    }
    spec.fields.forEach(function (field) { fields.appendChild(fieldInput(prefix, field)); });
  }
  function addSignal() {
    var n = counter++, prefix = "signal-" + n;
    var block = el("div", {"class": "border rounded p-2 mb-2 signal", "data-prefix": prefix});
    block.appendChild(el("label", {"class": "form-label small", "for": prefix + "-kind"}, "困难情况"));
    var select = el("select", {"class": "form-select mb-2", id: prefix + "-kind", "data-role": "signal-kind"});
    select.appendChild(option("", "请选择"));
    Object.keys(config.signals).forEach(function (k) { select.appendChild(option(k, config.signals[k].label)); });
    block.appendChild(select);
    block.appendChild(el("div", {"class": "signal-fields"}));
    var note = el("input", {"class": "form-control mb-2", id: prefix + "-note", maxlength: "200", placeholder: "说明（可不填）", "aria-label": "困难情况说明"});
    block.appendChild(note);
    var remove = el("button", {type: "button", "class": "btn btn-link btn-sm text-danger"}, "删除这一项");
    remove.addEventListener("click", function () { block.remove(); });
    block.appendChild(remove);
    select.addEventListener("change", function () { signalKindChanged(block); });
    $("signals").appendChild(block);
    select.focus();
  }
  function readValue(input) {
    var v = input.value.trim();
    if (v === "") { return undefined; }
    if (input.dataset.kind === "bool") { return v === "true"; }
    if (input.dataset.kind === "int") { return parseInt(v, 10); }
    return v;
  }
  function collectSignals(row) {
    var out = [], problems = [];
    Array.prototype.forEach.call($("signals").querySelectorAll(".signal"), function (block) {
      var kindValue = block.querySelector("[data-role=signal-kind]").value;
      if (!kindValue) { return; }
      var spec = config.signals[kindValue], signal = {kind: kindValue, values: {}, base: {}, note: block.querySelector("input[id$=-note]").value.trim()};
      var holder = row ? row : null;
      if (spec.member) {
        var memberId = Number(block.querySelector("[data-role=member]").value);
        if (!memberId) { problems.push("“" + spec.label + "”须选择家庭成员"); return; }
        signal.member_id = memberId;
        holder = (row.members || []).filter(function (m) { return m.id === memberId; })[0];
      }
      Array.prototype.forEach.call(block.querySelectorAll("[data-field]"), function (input) {
        var value = readValue(input);
        if (value !== undefined) { signal.values[input.dataset.field] = value; }
      });
      spec.fields.forEach(function (f) { if (f.required && signal.values[f.name] === undefined) { problems.push("“" + spec.label + "”须填写" + f.label); } });
      var facts = holder && holder.facts ? holder.facts : {};
      spec.sets.forEach(function (name) { if (name in facts) { signal.base[name] = facts[name]; } });
      out.push(signal);
    });
    return {signals: out, problems: problems};
  }

  /* ---- needs ---- */
  function needKindChanged(select) {
    var block = select.closest(".need"), category = block.querySelector("[data-role=category]");
    if (kind() === "home") { select.value = "need"; }
    Array.prototype.forEach.call(select.options, function (o) { o.disabled = kind() === "home" && o.value === "enterprise_problem"; });
    category.closest("div").hidden = select.value !== "need";
  }
  function addNeed() {
    var n = counter++, prefix = "need-" + n;
    var block = el("div", {"class": "border rounded p-2 mb-2 need"});
    var row1 = el("div", {"class": "row g-2 mb-2"});
    var c1 = el("div", {"class": "col-6"}), c2 = el("div", {"class": "col-6"});
    c1.appendChild(el("label", {"class": "form-label small", "for": prefix + "-kind"}, "类型"));
    var kindSelect = el("select", {"class": "form-select", id: prefix + "-kind", "data-role": "need-kind"});
    config.need_kinds.forEach(function (k) { kindSelect.appendChild(option(k[0], k[1])); });
    c1.appendChild(kindSelect);
    c2.appendChild(el("label", {"class": "form-label small", "for": prefix + "-category"}, "需求类别"));
    var category = el("select", {"class": "form-select", id: prefix + "-category", "data-role": "category"});
    category.appendChild(option("", "不分类"));
    config.categories.forEach(function (k) { category.appendChild(option(k[0], k[1])); });
    c2.appendChild(category);
    row1.appendChild(c1); row1.appendChild(c2);
    block.appendChild(row1);
    block.appendChild(el("label", {"class": "form-label small", "for": prefix + "-title"}, "事由（必填）"));
    block.appendChild(el("input", {"class": "form-control mb-2", id: prefix + "-title", maxlength: "200", "data-role": "title"}));
    block.appendChild(el("label", {"class": "form-label small", "for": prefix + "-description"}, "详细情况"));
    block.appendChild(el("textarea", {"class": "form-control mb-2", id: prefix + "-description", rows: "2", maxlength: "2000", "data-role": "description"}));
    var remove = el("button", {type: "button", "class": "btn btn-link btn-sm text-danger"}, "删除这一项");
    remove.addEventListener("click", function () { block.remove(); });
    block.appendChild(remove);
    kindSelect.addEventListener("change", function () { needKindChanged(kindSelect); });
    $("needs").appendChild(block);
    needKindChanged(kindSelect);
  }
  function collectNeeds() {
    var out = [], problems = [];
    Array.prototype.forEach.call($("needs").querySelectorAll(".need"), function (block) {
      var title = block.querySelector("[data-role=title]").value.trim();
      if (!title) { problems.push("每项需求须写明事由"); return; }
      var needKind = block.querySelector("[data-role=need-kind]").value;
      out.push({kind: needKind, title: title, description: block.querySelector("[data-role=description]").value.trim(),
                category: needKind === "need" ? block.querySelector("[data-role=category]").value : ""});
    });
    return {needs: out, problems: problems};
  }

  /* ---- photos: resized on the phone ---- */
  function resize(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file), image = new Image();
      image.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) { return blob ? resolve(blob) : reject(new Error("toBlob")); }, "image/jpeg", 0.85);
      };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("image")); };
      image.src = url;
    });
  }
  function photosChosen(event) {
    var files = Array.prototype.slice.call(event.target.files || []);
    files.slice(0, MAX_PHOTOS - pendingPhotos.length).forEach(function (file) {
      resize(file).then(function (blob) {
        pendingPhotos.push({photo_id: uuid(), blob: blob});
        var img = el("img", {src: URL.createObjectURL(blob), alt: "待上传的照片", width: "72", height: "72", "class": "rounded border object-fit-cover"});
        $("photo-previews").appendChild(img);
      }).catch(function () { showError("有一张照片无法读取，已跳过。"); });
    });
    event.target.value = "";
  }

  /* ---- saving into the local queue ---- */
  function showError(text) { var box = $("form-error"); box.textContent = text; box.classList.toggle("d-none", !text); }
  function save(event) {
    event.preventDefault();
    showError("");
    var row = chosen();
    var problems = [];
    if (!row) { problems.push(kind() === "home" ? "请选择要入户的家庭" : "请选择走访的企业"); }
    var date = $("date").value;
    if (!date) { problems.push("请填写走访日期"); }
    var people = parseInt($("people_met").value || "0", 10);
    if (isNaN(people) || people < 0 || people > 9999) { problems.push("见到人数应在 0 到 9999 之间"); }
    var needs = collectNeeds(), signals = kind() === "home" ? collectSignals(row) : {signals: [], problems: []};
    problems = problems.concat(needs.problems, signals.problems);
    if (problems.length) { showError(problems.join("；") + "。"); return; }
    var satisfaction = form.querySelector("input[name=satisfaction]:checked");
    var payload = {
      client_id: uuid(), campaign_id: config.campaign, kind: kind(), date: date,
      people_met: people, people_notes: $("people_notes").value.trim(), notes: $("notes").value.trim(),
      satisfaction: satisfaction ? Number(satisfaction.value) : null, recorded_at: new Date().toISOString(),
      needs: needs.needs, signals: signals.signals
    };
    if (kind() === "home") {
      payload.household_id = row.id;
      ["basic_clear", "hardship_clear", "aid_clear"].forEach(function (name) { payload[name] = $(name).checked; });
    } else {
      payload.enterprise_id = row.id;
    }
    if (position) { payload.lat = position.lat; payload.lng = position.lng; }
    var label = (kind() === "home" ? "入户 " + row.label : "走企 " + row.name) + " · " + date;
    var photos = pendingPhotos.map(function (p) { return {photo_id: p.photo_id, client_id: payload.client_id, blob: p.blob}; });
    db.transaction("rw", db.visits, db.photos, function () {
      db.visits.put({client_id: payload.client_id, campaign: config.campaign, status: "queued", payload: payload,
                     label: label, saved_at: Date.now(), message: "", photos: photos.length});
      if (photos.length) { db.photos.bulkPut(photos); }
    }).then(function () {
      resetForm();
      render();
      sync();
    }).catch(function () { showError("本机存储失败，走访未保存：请检查手机存储空间后重试。"); });
  }
  function resetForm() {
    $("signals").innerHTML = ""; $("needs").innerHTML = ""; $("photo-previews").innerHTML = "";
    pendingPhotos = []; position = null; $("location").textContent = ""; $("notes").value = "";
    Array.prototype.forEach.call(form.querySelectorAll("input[name=satisfaction]"), function (r) { r.checked = false; });
    targetSelect.value = ""; targetChanged();
  }

  /* ---- sync: the online event, then retries with backoff ---- */
  function send(item) {
    var headers = {"Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken()};
    return fetch(API + "/visits/sync", {method: "POST", credentials: "same-origin", headers: headers, body: JSON.stringify(item.payload)})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          markUp();
          if (r.status === 200 || r.status === 201) { item.server_id = body.id; item.status = "photos"; item.message = ""; return true; }
          if (r.status === 401) { item.status = "auth"; item.message = "登录已过期"; return false; }
          if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
            item.status = "refused"; item.message = body.error ? body.error.message : "服务器未接受（" + r.status + "）"; return false;
          }
          item.status = "retry"; item.message = "服务器暂时无法处理（" + r.status + "）"; return false;
        });
      }, function () { markDown(); item.status = "retry"; item.message = "网络不通"; return false; });
  }
  function sendPhotos(item) {
    return db.photos.where("client_id").equals(item.client_id).toArray().then(function (photos) {
      return photos.reduce(function (chain, photo) {
        return chain.then(function (ok) {
          if (!ok) { return false; }
          var body = new FormData();
          body.append("photo_id", photo.photo_id);
          body.append("photo", photo.blob, "photo.jpg");
          var url = API + "/visits/" + item.client_id + "/photos";
          return fetch(url, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()}, body: body}).then(function (r) {
            if (r.status === 200 || r.status === 201 || r.status === 422) { return db.photos.delete(photo.photo_id).then(function () { return true; }); }
            item.status = r.status === 401 ? "auth" : "photos"; item.message = "照片上传未完成"; return false;
          }, function () { markDown(); item.message = "网络不通，照片稍后上传"; return false; });
        });
      }, Promise.resolve(true));
    }).then(function (ok) { if (ok) { item.status = "synced"; item.message = ""; item.synced_at = Date.now(); } return ok; });
  }
  function sync() {
    if (syncing) { return Promise.resolve(); }
    if (!isOnline()) { render(); return Promise.resolve(); }
    syncing = true;
    var failed = false;
    return db.visits.where("status").anyOf("queued", "retry", "photos", "auth").toArray().then(function (items) {
      items.sort(function (a, b) { return a.saved_at - b.saved_at; });  // in the order they were recorded
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          var step = item.status === "photos" ? Promise.resolve(true) : send(item);
          return step.then(function (ok) { return ok ? sendPhotos(item) : false; })
            .then(function (ok) { if (!ok && item.status !== "refused") { failed = true; } return db.visits.put(item); });
        });
      }, Promise.resolve());
    }).then(function () {
      syncing = false;
      clearTimeout(retryTimer);
      if (failed) { retryTimer = setTimeout(sync, retryDelay); retryDelay = Math.min(retryDelay * 2, RETRY_MAX); } else { retryDelay = RETRY_MIN; }
      return render();
    }, function () { syncing = false; return render(); });
  }

  /* ---- the queue as the cadre sees it ---- */
  function render() {
    var online = isOnline(), badge = $("net-status");
    badge.textContent = online ? "在线" : "离线";
    badge.className = "badge " + (online ? "text-bg-success" : "text-bg-warning");
    var week = Date.now() - 7 * 86400000;
    return db.visits.where("campaign").equals(config.campaign).toArray().then(function (items) {
      items.sort(function (a, b) { return b.saved_at - a.saved_at; });
      var waiting = items.filter(function (i) { return i.status !== "synced"; }).length;
      $("queue-status").textContent = waiting ? "本机有 " + waiting + " 条走访待同步" + (online ? "。" : "，联网后自动同步。") : "本机走访已全部同步。";
      var list = $("queue-list");
      list.innerHTML = "";
      items.filter(function (i) { return i.status !== "synced" || i.synced_at > week; }).slice(0, 20).forEach(function (item) {
        var li = el("li", {"class": "border-bottom py-1", "data-status": item.status, "data-client-id": item.client_id});
        li.appendChild(el("span", {}, item.label + " — "));
        li.appendChild(el("strong", {}, STATUS[item.status] || item.status));
        if (item.message) { li.appendChild(el("span", {"class": "text-danger"}, "：" + item.message)); }
        if (item.status === "refused") {
          var drop = el("button", {type: "button", "class": "btn btn-link btn-sm text-danger"}, "删除");
          drop.addEventListener("click", function () {
            db.transaction("rw", db.visits, db.photos, function () {
              db.visits.delete(item.client_id); db.photos.where("client_id").equals(item.client_id).delete();
            }).then(render);
          });
          li.appendChild(drop);
        }
        list.appendChild(li);
      });
      app.dataset.queue = String(waiting);
    });
  }

  /* ---- the service worker keeps this page, its files and the offline list ---- */
  function registerWorker() {
    if (!("serviceWorker" in navigator)) { app.dataset.offline = "unsupported"; return; }
    navigator.serviceWorker.register(app.dataset.sw, {scope: "/outreach/"}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var urls = [app.dataset.page, TARGETS].concat(JSON.parse(app.dataset.assets));
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { app.dataset.offline = "ready"; };
      registration.active.postMessage({type: "cache", urls: urls}, [channel.port2]);
    }).catch(function () { app.dataset.offline = "failed"; });
  }

  form.addEventListener("submit", save);
  Array.prototype.forEach.call(form.querySelectorAll("input[name=kind]"), function (r) { r.addEventListener("change", fillTargets); });
  targetSelect.addEventListener("change", targetChanged);
  $("add-signal").addEventListener("click", addSignal);
  $("add-need").addEventListener("click", addNeed);
  $("photos").addEventListener("change", photosChosen);
  $("sync-now").addEventListener("click", function () { retryDelay = RETRY_MIN; sync(); });
  $("locate").addEventListener("click", function () {
    if (!navigator.geolocation) { $("location").textContent = "本机无法定位。"; return; }
    $("location").textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (p) {
      position = {lat: p.coords.latitude.toFixed(6), lng: p.coords.longitude.toFixed(6)};
      $("location").textContent = "已记录位置。";
    }, function () { $("location").textContent = "未能定位（可不记录位置）。"; }, {timeout: 10000});
  });
  window.addEventListener("online", function () { markUp(); retryDelay = RETRY_MIN; sync(); });
  window.addEventListener("offline", render);
  loadTargets().then(function () { app.dataset.targets = "loaded"; return render(); }).then(sync).then(registerWorker);
}());
