/**
 * What every span and metric says of where it comes from: the service (`chatkit-facts` unless
 * OTEL_SERVICE_NAME names it), anything OTEL_RESOURCE_ATTRIBUTES adds (e.g. the deployment's
 * environment), and the SDK's own name and version.
 */
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
  type Resource,
} from "@opentelemetry/resources";

export function telemetryResource(): Resource {
  return defaultResource()
    .merge(resourceFromAttributes({ "service.name": "chatkit-facts" }))
    .merge(detectResources({ detectors: [envDetector] }));
}
