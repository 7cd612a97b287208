// In the tests, a queried element is the control the test just rendered and expects (an input,
// a button, a form): a wrong guess fails the test when it runs. Without this, every
// `querySelector(...).value` would need a cast. The source is checked without it.
type RenderedControl = HTMLInputElement & HTMLFormElement & HTMLIFrameElement;
interface Element {
  readonly dataset: DOMStringMap;
}
interface ParentNode {
  querySelector(selectors: string): RenderedControl | null;
  querySelectorAll(selectors: string): NodeListOf<RenderedControl>;
}
