export {};
export { loadDatasetFile, loadModelData, formatOfPath, type LoadFileOptions, type LoadModelOptions, type DataFormat } from "./load-file.js";
export { progressReporter } from "./progress.js";
