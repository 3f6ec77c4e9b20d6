// Copies the front-end files Krai serves from node_modules into krai/static/vendor.
// Nothing is loaded from a CDN at run time: government networks are often closed.
// Every source map a vendored file names is vendored beside it: the manifest storage of `collectstatic`
// rewrites those references to hashed names and refuses a reference to a file that is not there.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";

const root = dirname(dirname(new URL(import.meta.url).pathname));
const out = join(root, "krai", "static", "vendor");
const files = {
  "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
  "bootstrap/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
  "bootstrap/bootstrap.min.css.map": "bootstrap/dist/css/bootstrap.min.css.map",
  "bootstrap/bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
  "bootstrap/bootstrap.bundle.min.js.map": "bootstrap/dist/js/bootstrap.bundle.min.js.map",
  "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
  "leaflet/leaflet.js.map": "leaflet/dist/leaflet.js.map",
  "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
  "leaflet/images": "leaflet/dist/images",
  "leaflet.markercluster/leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
  "leaflet.markercluster/leaflet.markercluster.js.map": "leaflet.markercluster/dist/leaflet.markercluster.js.map",
  "leaflet.markercluster/MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
  "leaflet.markercluster/MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
  "echarts/echarts.min.js": "echarts/dist/echarts.min.js",
  "frappe-gantt/frappe-gantt.umd.js": "frappe-gantt/dist/frappe-gantt.umd.js",
  "frappe-gantt/frappe-gantt.css": "frappe-gantt/dist/frappe-gantt.css",
  // the standard bundle (core, day grid, time grid, list, multi-month, interaction; its CSS injected by itself)
  // and the Russian locale (a week starting on Monday); the bundle names no source map
  "fullcalendar/index.global.min.js": "fullcalendar/index.global.min.js",
  "fullcalendar/locales/ru.global.min.js": "@fullcalendar/core/locales/ru.global.min.js",
};
rmSync(out, { recursive: true, force: true });
for (const [target, source] of Object.entries(files)) {
  const dest = join(out, target);
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(join(root, "node_modules", source), dest, { recursive: true });
}
console.log(`vendor assets copied to ${out}`);
