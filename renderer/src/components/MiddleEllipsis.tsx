/**
 * Text too long for its box cut in the middle, so both ends stay readable ("/mnt/scr…/photos",
 * "Platform op…weekdays)"): the end of a mount or a name is often what tells two apart. The start
 * ends in an ellipsis, the end is clipped from its left; both give way in proportion. The whole
 * text is in the title (hover) and in the DOM (screen readers, the tip a focused row shows).
 */
export function MiddleEllipsis({ text }: { text: string }) {
  if (text.length < 8)
    return (
      <span className="mid" title={text}>
        <span className="mid-start">{text}</span>
      </span>
    );
  // Paths keep their last component whole where it is not most of the text: "/photos".
  const slash = text.lastIndexOf('/', text.length - 2);
  const cut = slash > text.length * 0.4 ? slash : Math.ceil(text.length / 2);
  return (
    <span className="mid" title={text}>
      <span className="mid-start">{text.slice(0, cut)}</span>
      <span className="mid-end">
        <span>{text.slice(cut)}</span>
      </span>
    </span>
  );
}

/**
 * A path too long for its box shown by its end, with an ellipsis where its start is cut
 * ("…headroom-a7/mnt"): two mounts under different directories often end alike ("/mnt") and
 * differ just before, where a middle cut would hide it. The whole path is in the title and the DOM.
 */
export function PathEnd({ text }: { text: string }) {
  return (
    <span className="path-end" title={text}>
      <span>{text}</span>
    </span>
  );
}
