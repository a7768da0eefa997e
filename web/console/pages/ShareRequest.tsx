// Shell, replaced by the data-sharing work in progress.
export default function ShareRequest() {
  return null;
}
