/* Every page: registers the service worker (sw.js at the site's root) and, on a page the worker
   served from its copy, says so and how old it is. */
(function () {
  "use strict";
  var manifest = document.querySelector('link[rel="manifest"]');
  if (manifest && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(new URL("sw.js", manifest.href)).catch(function () {});
  }
  if (document.documentElement.dataset.offline) {
    var built = document.querySelector('meta[name="built"]').content;
    var notice = document.createElement("p");
    notice.className = "notice offline"; notice.setAttribute("role", "status");
    notice.textContent = "Offline — showing this page as it was built on " + built + ".";
    var main = document.querySelector("main");
    main.insertBefore(notice, main.firstChild);
  }
})();
