/**
 * A class whose instances are functions: the constructor returns the function it is given, with
 * the subclass's prototype, so that subclass fields (`#private` ones too) land on the function.
 */
export class CallableInstance {
  // biome-ignore lint/complexity/noBannedTypes: any function can become an instance.
  constructor(fn: Function) {
    Object.setPrototypeOf(fn, new.target.prototype);
    // biome-ignore lint/correctness/noConstructorReturn: the whole point of this class.
    return fn;
  }
}

// Keep call/apply/bind on instances.
Object.setPrototypeOf(CallableInstance.prototype, Function.prototype);
