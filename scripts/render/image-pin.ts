// Version pins are `tag` or `tag@sha256:digest`; Kustomize wants them apart.
export interface ImagePin {
  readonly tag: string;
  readonly digest: string | undefined;
}

export const parsePin = (pin: string): ImagePin => {
  const at = pin.indexOf('@');
  return at === -1 ? { tag: pin, digest: undefined } : { tag: pin.slice(0, at), digest: pin.slice(at + 1) };
};

/** `repo:tag` or `repo:tag@sha256:…` */
export const imageReference = (repository: string, pin: string): string => {
  const { tag, digest } = parsePin(pin);
  return digest ? `${repository}:${tag}@${digest}` : `${repository}:${tag}`;
};
