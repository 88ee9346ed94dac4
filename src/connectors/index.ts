import { Registry } from '../registry.js';
import fileSource from './file/source.js';
import fileTarget from './file/target.js';
import defaultTransform from './default/transform.js';

/** The registry of every connector that ships with Fastlane. Add a connector here to ship it. */
export function builtinRegistry(): Registry {
  return new Registry()
    .register('source', fileSource)
    .register('transform', defaultTransform)
    .register('target', fileTarget);
}
