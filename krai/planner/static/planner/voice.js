// Voice orders: record the microphone with the Web Audio API, encode 16 kHz 16-bit mono PCM WAV here in the page,
// send it to the server's offline recogniser, put what was heard into the phrase box and read it into a draft.
// The browser's own recognition (Web Speech API) is offered only when the server allows it (its button is rendered).
(function () {
  "use strict";
  var form = document.getElementById("krai-voice-form");
  if (!form) { return; }
  var text = document.getElementById("krai-voice-text");
  var status = document.getElementById("krai-voice-status");
  var record = document.getElementById("krai-voice-record");
  var browser = document.getElementById("krai-voice-browser");
  var maxSeconds = parseInt(form.dataset.maxSeconds || "30", 10);
  var RATE = 16000;

  function say(message) { if (status) { status.textContent = message || ""; } }

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function downsample(chunks, rate) {
    var length = 0, i, j;
    for (i = 0; i < chunks.length; i++) { length += chunks[i].length; }
    var all = new Float32Array(length), offset = 0;
    for (i = 0; i < chunks.length; i++) { all.set(chunks[i], offset); offset += chunks[i].length; }
    if (rate === RATE) { return all; }
    var ratio = rate / RATE, out = new Float32Array(Math.floor(length / ratio));
    for (i = 0; i < out.length; i++) {  // average the samples each output sample covers (a simple low-pass)
      var start = Math.floor(i * ratio), end = Math.min(length, Math.floor((i + 1) * ratio)), sum = 0;
      for (j = start; j < end; j++) { sum += all[j]; }
      out[i] = end > start ? sum / (end - start) : all[start];
    }
    return out;
  }

  function wav(samples) {
    var buffer = new ArrayBuffer(44 + samples.length * 2), view = new DataView(buffer), i;
    function ascii(at, s) { for (var k = 0; k < s.length; k++) { view.setUint8(at + k, s.charCodeAt(k)); } }
    ascii(0, "RIFF"); view.setUint32(4, 36 + samples.length * 2, true); ascii(8, "WAVE");
    ascii(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, RATE, true); view.setUint32(28, RATE * 2, true); view.setUint16(32, 2, true);
    view.setUint16(34, 16, true); ascii(36, "data"); view.setUint32(40, samples.length * 2, true);
    for (i = 0; i < samples.length; i++) {
      var s = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([view], { type: "audio/wav" });
  }

  function send(blob) {
    say(form.dataset.textSending);
    var body = new FormData();
    body.append("audio", blob, "phrase.wav");
    fetch(form.dataset.recogniseUrl, { method: "POST", body: body, credentials: "same-origin",
                                       headers: { "X-CSRFToken": csrf(), "Accept": "application/json" } })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (!result.ok) {
          var error = result.data && result.data.error;
          say((error && error.message) || form.dataset.textFailed);
          return;
        }
        if (!result.data.text) { say(form.dataset.textNothing); return; }
        text.value = result.data.text;
        say("");
        form.submit();  // the server reads the phrase into the draft shown for confirmation
      })
      .catch(function () { say(form.dataset.textFailed); });
  }

  var recording = null;

  function stop() {
    if (!recording) { return; }
    var r = recording;
    recording = null;
    clearTimeout(r.timer);
    r.processor.disconnect(); r.source.disconnect();
    r.stream.getTracks().forEach(function (track) { track.stop(); });
    r.context.close();
    record.setAttribute("aria-pressed", "false");
    record.classList.remove("active");
    send(wav(downsample(r.chunks, r.context.sampleRate)));
  }

  function start() {
    navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } })
      .then(function (stream) {
        var Context = window.AudioContext || window.webkitAudioContext;
        var context = new Context();
        var source = context.createMediaStreamSource(stream);
        var processor = context.createScriptProcessor(4096, 1, 1);
        var chunks = [];
        processor.onaudioprocess = function (event) { chunks.push(new Float32Array(event.inputBuffer.getChannelData(0))); };
        source.connect(processor); processor.connect(context.destination);
        recording = { stream: stream, context: context, source: source, processor: processor, chunks: chunks,
                      timer: setTimeout(stop, (maxSeconds - 0.5) * 1000) };
        record.setAttribute("aria-pressed", "true");
        record.classList.add("active");
        say(form.dataset.textRecording);
      })
      .catch(function () { say(form.dataset.textDenied); });
  }

  if (record && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    record.hidden = false;
    record.addEventListener("click", function () { if (recording) { stop(); } else { start(); } });
  }

  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  if (browser && Recognition) {
    browser.hidden = false;
    browser.addEventListener("click", function () {
      var recogniser = new Recognition();
      recogniser.lang = form.dataset.language === "en" ? "en-US" : (document.documentElement.lang === "en" ? "en-US" : "ru-RU");
      recogniser.interimResults = false;
      recogniser.onresult = function (event) { text.value = event.results[0][0].transcript; form.submit(); };
      recogniser.onerror = function () { say(form.dataset.textFailed); };
      say(form.dataset.textRecording);
      recogniser.start();
    });
  }
}());
