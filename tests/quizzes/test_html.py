"""The sanitised HTML subset: what survives, what is dropped, and plain text escaping."""

import unicodedata

import pytest

from quizzes.html import html_to_text, media_refs, sanitise, text_to_html

SHA = "a" * 64


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<b>đậm</b> <i>nghiêng</i> <u>gạch</u> H<sub>2</sub>O x<sup>2</sup>", None),
        ("<ul><li>một</li></ul><ol><li>hai</li></ol>", None),
        ("<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>", None),
        ("<pre><code>print(1)</code></pre>", None),
        ("<p>Đoạn<br>mới</p>", None),
        ('<p onclick="steal()">x</p>', "<p>x</p>"),
        ("<script>alert(1)</script>ok", "ok"),
        ('<a href="javascript:alert(1)">link</a>', "link"),
        ('<img src="http://evil.example/x.png">ảnh', "ảnh"),
        ('<img src="data:image/png;base64,AAAA">', ""),
        ('<img src="media:k1" alt="hình" onerror="x()">', '<img src="media:k1" alt="hình">'),
        (f'<img src="/ngan-hang/media/3/{SHA}/">', f'<img src="/ngan-hang/media/3/{SHA}/">'),
        ('<span style="color:red">đỏ</span>', "<span>đỏ</span>"),
        ("<iframe src='x'></iframe><style>p{}</style>văn bản", "văn bản"),
        ("2 < 3 & 4 > 1", "2 &lt; 3 &amp; 4 &gt; 1"),
    ],
)
def test_only_the_allowed_subset_survives(dirty, clean):
    assert sanitise(dirty) == (dirty if clean is None else clean)


def test_text_is_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Tiếng Việt")
    assert sanitise(decomposed) == "Tiếng Việt"
    assert text_to_html(decomposed) == "Tiếng Việt"


def test_plain_text_is_escaped_with_line_breaks_kept():
    assert text_to_html("<b>không đậm</b>\r\nhai & ba") == "&lt;b&gt;không đậm&lt;/b&gt;<br>hai &amp; ba"


def test_visible_text_and_media_references():
    assert html_to_text("<p>Một</p><p>hai&nbsp;&amp; ba</p>") == "Một hai & ba"
    assert media_refs('<img src="media:a1"><img src="media:b2"><img src="media:a1">') == ["a1", "b2"]
