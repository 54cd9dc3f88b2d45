// Loads the Yew app (wasm-bindgen output) bundled with the app.
import init from './ui.js';
init();
