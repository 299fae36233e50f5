// `node --import ./test/support/hide-onnxruntime-node.mjs …`: this process resolves
// 'onnxruntime-node' as if it were not installed (ERR_MODULE_NOT_FOUND), as in an app that did not
// install the optional peer. Only this process: worker threads resolve as usual.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'onnxruntime-node') {
    const e = new Error("Cannot find package 'onnxruntime-node' (hidden by test/support/hide-onnxruntime-node.mjs)");
    e.code = 'ERR_MODULE_NOT_FOUND';
    throw e;
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
