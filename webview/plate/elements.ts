/**
 * The vscode-elements web components the plate editor uses (with Lit, about three quarters of plate.js). main.ts
 * imports this module dynamically after the heat map's first frame (esbuild bundles it inline as a lazily evaluated
 * module, so it is parsed with the bundle but evaluated, and its elements defined, only then): the first view never
 * waits for them. Elements created before then are upgraded when defined.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
