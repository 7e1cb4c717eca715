// The console's one script: live updates of the board. On a 'head' (the ledger grew) or 'tick' (the clock moved)
// event it fetches the page again and puts the new <main> in place; nothing else runs in the page.
(function () {
  'use strict';
  var live = document.getElementById('live');
  if (!live || !window.EventSource) {
    return;
  }
  var state = document.getElementById('livestate');
  var busy = false;
  function refresh() {
    if (busy) {
      return;
    }
    busy = true;
    fetch(window.location.href, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var next = doc.getElementById('main');
        if (next) {
          document.getElementById('main').replaceChildren.apply(document.getElementById('main'),
            Array.prototype.slice.call(next.childNodes).map(function (n) { return document.importNode(n, true); }));
        }
      })
      .catch(function () { var s = document.getElementById('livestate'); if (s) { s.classList.add('off'); } })
      .finally(function () { busy = false; });
  }
  var events = new EventSource(live.getAttribute('data-events'));
  events.addEventListener('head', function (e) {
    var size = document.getElementById('size');
    if (!size || size.textContent !== e.data) {
      refresh();
    }
  });
  events.addEventListener('tick', refresh);
  events.onerror = function () { var s = document.getElementById('livestate'); if (s) { s.classList.add('off'); } };
  events.onopen = function () { var s = document.getElementById('livestate'); if (s) { s.classList.remove('off'); } };
  if (state) {
    state.classList.remove('off');
  }
})();
