// The BPMN modeler page: loads the draft file into bpmn-js (with our spiffworkflow moddle descriptor, so the
// extension properties survive import and export), saves it with the draft revision it was based on, runs the
// engine's deploy checks and deploys. URLs and the CSRF token come from data attributes (no inline scripts).
(function () {
  "use strict";
  var W = window.VangnetWorkbench = window.VangnetWorkbench || {};
  var container = document.getElementById("modeler");
  if (!container || !window.BpmnJS) { return; }
  var data = container.dataset;
  var state = { revision: null, dirty: false, modeler: null, problems: null };

  W.status = function (text) { document.getElementById("status").textContent = text; };
  W.message = function (key) { return data[key] || key; };  // texts come translated from the page

  function request(url, body) {
    return fetch(url, {
      method: body === undefined ? "GET" : "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
        return { status: response.status, body: { message: "HTTP " + response.status, problems: [] } };
      }
      return response.json().then(function (json) { return { status: response.status, body: json }; });
    });
  }

  function setRevision(revision) {
    state.revision = revision;
    document.getElementById("revisie").textContent = revision;
  }

  function showConflict(message, xml) {
    document.getElementById("conflict-tekst").textContent = message;
    var link = document.getElementById("conflict-download");
    link.href = URL.createObjectURL(new Blob([xml], { type: "application/xml" }));
    document.getElementById("conflict").hidden = false;
    document.getElementById("conflict-tekst").scrollIntoView();
  }

  function save() {
    return state.modeler.saveXML({ format: true }).then(function (result) {
      return request(data.save, { revision: state.revision, text: result.xml }).then(function (answer) {
        if (answer.status === 200) {
          setRevision(answer.body.revision);
          state.dirty = false;
          W.status(answer.body.message);
          return true;
        }
        if (answer.status === 409) { showConflict(answer.body.message, result.xml); }
        W.status(answer.status === 409 ? W.message("msgNotSaved") : answer.body.message);
        return false;
      });
    });
  }

  function saveIfDirty() { return state.dirty ? save() : Promise.resolve(true); }

  function check() {
    return saveIfDirty().then(function (saved) {
      if (!saved) { return; }
      W.status(W.message("msgChecking"));
      return request(data.check, {}).then(function (answer) {
        state.problems.show(answer.body.problems, answer.body.message);
        W.status(answer.body.message);
        container.dataset.checked = String(answer.body.problems.length);
      });
    });
  }

  function deploy(event) {
    event.preventDefault();
    var note = document.getElementById("veld-notitie");
    var error = document.getElementById("notitie-fout");
    error.textContent = "";
    saveIfDirty().then(function (saved) {
      if (!saved) { return; }
      W.status(W.message("msgDeploying"));
      return request(data.deploy, { revision: state.revision, note: note.value }).then(function (answer) {
        if (answer.status === 200) { window.location.assign(answer.body.location); return; }
        if (answer.body.field === "note") { error.textContent = answer.body.message; note.focus(); }
        if (answer.body.problems) { state.problems.show(answer.body.problems, answer.body.message); }
        W.status(answer.body.message);
        container.dataset.deployed = "refused";
      });
    });
  }

  function fitReadably(modeler) {  // a wide diagram fitted whole is unreadable: start at its start event
    var canvas = modeler.get("canvas");
    canvas.zoom("fit-viewport");
    if (canvas.zoom() >= 0.6) { return; }
    var start = modeler.get("elementRegistry").filter(function (e) { return e.type === "bpmn:StartEvent"; })[0];
    canvas.zoom(0.8);
    if (start) { canvas.scrollToElement(start); }
  }

  function start(descriptor, file) {
    state.modeler = new window.BpmnJS({ container: container, moddleExtensions: { spiffworkflow: descriptor } });
    setRevision(file.revision);
    return state.modeler.importXML(file.text).then(function () {
      fitReadably(state.modeler);
      state.problems = new W.Problems(state.modeler, data.file, data.edit);
      new W.Panel(state.modeler);
      state.modeler.on("commandStack.changed", function () { state.dirty = true; W.status(W.message("msgDirty")); });
      document.getElementById("opslaan").addEventListener("click", save);
      document.getElementById("controleren").addEventListener("click", check);
      document.getElementById("uitrollen").addEventListener("submit", deploy);
      window.addEventListener("beforeunload", function (event) { if (state.dirty) { event.preventDefault(); } });
      W.modeler = state.modeler;  // for the browser tests and the console
      container.dataset.ready = "true";
    });
  }

  Promise.all([
    fetch(data.moddle, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
    request(data.src).then(function (answer) { return answer.body; })
  ]).then(function (loaded) { return start(loaded[0], loaded[1]); })
    .catch(function (error) {
      W.status(W.message("msgLoadError") + " (" + error.message + ")");
      container.dataset.ready = "error";
    });
})();
