/* The visit form without a connection (or a record of the outbox being corrected): the whole
   visit — kind, date, host, companions, topics, texts, the directory check, problems and
   photos (shrunk here to a phone-friendly size first) — goes into the outbox of
   static/js/offline.js instead of to the server, which gets it through the API when the
   connection returns. Online, a new visit is posted as ever. */
(function () {
  "use strict";

  var form = document.getElementById("visit-form");
  var offline = window.OutreachOffline;
  if (!form || !offline || !form.visitForm || form.dataset.offlineCapable !== "1") { return; }
  var T = offline.texts;
  var LONGEST_SIDE = 1600;  // the server keeps at most 2048: enough, and a quarter of the bytes
  var QUALITY = 0.85;
  var params = new URLSearchParams(window.location.search);
  var editing = params.get("outbox");
  var banner = document.getElementById("offline-banner");

  function showBanner() {
    if (banner) { banner.classList.toggle("d-none", navigator.onLine && !editing); }
  }
  window.addEventListener("online", showBanner);
  window.addEventListener("offline", showBanner);
  showBanner();

  function today() {
    var now = new Date();
    return [now.getFullYear(), ("0" + (now.getMonth() + 1)).slice(-2), ("0" + now.getDate()).slice(-2)].join("-");
  }

  // The page may come from the cache, kept on another day: a new visit is for today.
  var dateInput = form.querySelector("[name=date]");
  if (!navigator.onLine && !editing && !params.get("date") && dateInput) { dateInput.value = today(); }

  function one(values, name) {
    var value = values[name];
    return Array.isArray(value) ? (value[0] || "") : (value || "");
  }

  function id(value) { return value ? parseInt(value, 10) : null; }
  function number(value) { return value === "" || value === undefined ? null : parseInt(value, 10); }
  function yesNo(value) { return value === "true" ? true : value === "false" ? false : null; }

  /* The form's values as the API's visit (api.serializers.VisitWriteSerializer). */
  function payload(values, action) {
    var data = {
      action: action,
      kind: one(values, "kind"),
      date: values.date || "",
      host_union: id(values.host_union),
      host_enterprise: id(values.host_enterprise),
      companions: (values.companions || []).map(function (v) { return parseInt(v, 10); }),
      topics: values.topics || [],
      concerns: []
    };
    ["people_met", "work_done", "answered_questions", "worker_opinions", "suggestions", "reflections"].forEach(function (name) {
      data[name] = values[name] || "";
    });
    var total = parseInt(values["concerns-TOTAL_FORMS"] || "0", 10);
    for (var n = 0; n < total; n++) {
      var p = "concerns-" + n + "-";
      var concern = {
        category: values[p + "category"] || "",
        description: values[p + "description"] || "",
        workers_affected: number(values[p + "workers_affected"]),
        worker_name: values[p + "worker_name"] || "",
        worker_phone: values[p + "worker_phone"] || "",
        answered_on_site: (values[p + "answered_on_site"] || []).length > 0
      };
      if (concern.category || concern.description.trim()) { data.concerns.push(concern); }
    }
    if ((values["dir-confirm"] || []).length && data.host_enterprise) {
      data.directory = {
        has_union: yesNo(values["dir-has_union"]),
        has_office: yesNo(values["dir-has_office"]),
        employees: number(values["dir-employees"]),
        members: number(values["dir-members"]),
        chair_name: values["dir-chair_name"] || "",
        fulltime_cadre_name: values["dir-fulltime_cadre_name"] || ""
      };
    }
    return data;
  }

  function summary(values) {
    var kind = form.querySelector("[name=kind]:checked");
    var host = "";
    Array.prototype.forEach.call(form.querySelectorAll("[data-picker-type]"), function (field) {
      if (field.value && !host) { host = field.dataset.label || ""; }
    });
    return {
      kind: kind && kind.labels && kind.labels[0] ? kind.labels[0].textContent.trim() : "",
      date: values.date || "",
      host: host
    };
  }

  /* A photo as the phone keeps it: at most LONGEST_SIDE, JPEG (the server re-encodes it anyway). */
  function shrink(file) {
    if (!window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });  // not an image: the server says so, in its words
  }

  function photos() {
    var input = form.querySelector("input[type=file][name=photos]");
    var files = input ? Array.prototype.slice.call(input.files) : [];
    return Promise.all(files.map(function (file) {
      return shrink(file).then(function (blob) {
        var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
        return { uuid: offline.newId(), name: name, blob: blob, done: false };
      });
    }));
  }

  var busy = false;
  form.addEventListener("submit", function (event) {
    if (navigator.onLine && !editing) { return; }  // the server takes it, as ever
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    var action = event.submitter && event.submitter.value ? event.submitter.value : "submit";
    var values = form.visitForm.collect();
    var kept = editing ? offline.get(editing) : Promise.resolve(null);
    Promise.all([kept, photos()]).then(function (found) {
      var record = found[0] || { uuid: offline.newId(), created: Date.now(), photos: [], visit: null };
      record.values = values;
      record.payload = payload(values, action);
      record.summary = summary(values);
      record.state = "waiting";
      record.message = "";
      record.photos = record.photos.concat(found[1]);
      return offline.put(record);
    }).then(function () {
      form.visitForm.forgetDraft();
      try { window.sessionStorage.setItem("outbox-flash", T.saved); } catch (e) { /* the list says it too */ }
      window.location.href = form.dataset.outboxUrl;
    }).catch(function (error) {
      busy = false;
      window.alert(T.notSaved + " " + String(error));
    });
  });

  if (editing) {
    offline.get(editing).then(function (record) {
      if (record) { form.visitForm.restore(record.values); }
    });
  }
})();
