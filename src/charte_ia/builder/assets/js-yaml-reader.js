/* js-yaml's reader alone, what « Créer ma charte » calls (ui.js: load, Type, the failsafe schema,
   the null and merge types): esbuild bundles it into docs/assets/vendor/js-yaml/ (`npm run
   vendor`, PROVENANCE.txt there). The page writes YAML itself, so js-yaml's writer stays out. */
module.exports = {
  load: require("../../../../node_modules/js-yaml/lib/loader.js").load,
  Type: require("../../../../node_modules/js-yaml/lib/type.js"),
  FAILSAFE_SCHEMA: require("../../../../node_modules/js-yaml/lib/schema/failsafe.js"),
  types: {
    "null": require("../../../../node_modules/js-yaml/lib/type/null.js"),
    merge: require("../../../../node_modules/js-yaml/lib/type/merge.js")
  }
};
