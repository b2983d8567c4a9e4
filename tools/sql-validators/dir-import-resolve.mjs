// The resolve hook registered by dir-import-hook.mjs (module hooks run on a thread of their own, so they live in a
// module of their own). dt-sql-parser's ESM build writes its relative imports the CommonJS way: directories
// ("./parser", ERR_UNSUPPORTED_DIR_IMPORT) and files without their extension ("./parser/common/types",
// ERR_MODULE_NOT_FOUND). Both are retried the way CommonJS would resolve them; anything else fails as before.
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (error?.code === 'ERR_UNSUPPORTED_DIR_IMPORT') {
      return nextResolve(`${specifier}/index.js`, context);
    }
    if (relative && error?.code === 'ERR_MODULE_NOT_FOUND' && !specifier.endsWith('.js')) {
      return nextResolve(`${specifier}.js`, context);
    }
    throw error;
  }
}
