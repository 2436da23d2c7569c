import pytest

from translator.detect import _latin_language, count_scripts, detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好", "zh"),
        ("笑死", "zh"),  # langdetect calls short Chinese Korean
        ("ok", "en"),  # and "ok" Slovak
        ("lol", "en"),
        ("这家火锅yyds", "zh"),
        ("今天去了Costco买东西", "zh"),
        ("I love 火锅 so much", "en"),
        ("今日の穿搭", "zh"),  # one borrowed kana does not make a post Japanese
        ("ありがとうございます", "ja"),
        ("東京に行きました", "ja"),
        ("안녕하세요", "ko"),
        ("繁體中文也是中文", "zh"),
        ("😂😂", ""),
        ("123 456", ""),
        ("", ""),
        ("Bonjour tout le monde, comment allez-vous aujourd'hui mon ami?", "fr"),
        ("The quick brown fox jumps over the lazy dog every single day.", "en"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_detection_is_deterministic() -> None:
    """langdetect samples at random: on this mix its unseeded answer is French about 6 times in 10,
    English otherwise. zhen must give one answer, whatever seed an earlier caller left behind."""
    from langdetect import DetectorFactory

    text = "Hola amigos, ciao bella, bonjour tout le monde, guten Morgen"
    answers = set()
    for _ in range(20):
        _latin_language.cache_clear()  # the cache would hide a random answer
        DetectorFactory.seed = None
        answers.add(detect_language(text))
    assert len(answers) == 1


def test_count_scripts_counts_words_and_han() -> None:
    counts = count_scripts("Hello world, 你好！")
    assert (counts.han, counts.latin_words) == (2, 2)


@pytest.mark.parametrize("text", ["haha " * 20, "no " * 20, "lol " * 15 + "ok " * 10])
def test_a_repeated_english_word_is_english(text: str) -> None:
    # langdetect calls these Somali, Portuguese...: repetition is no evidence of a language.
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The subtitles of this episode were made by volunteers from the fan club.", "en"),
        ("We have been waiting for you, and they said that it would be worth it.", "en"),
        ("Das ist ein schöner Tag, und wir haben viel Zeit für unsere Freunde gehabt.", "de"),
        ("El perro de mi vecino ladra todas las noches y no podemos dormir bien.", "es"),
        ("Questo ristorante è molto buono e il personale è sempre gentile con tutti.", "it"),
    ],
)
def test_plain_english_is_told_without_langdetect(
    monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    # English function words settle English at once; other languages still go to langdetect.
    asked: list[str] = []
    monkeypatch.setattr("translator.detect._latin_language", lambda text: asked.append(text) or expected)
    assert detect_language(text) == expected
    assert asked == ([] if expected == "en" else [text])


def test_into_english_latin_script_text_is_not_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # Translating into English keeps English and French alike: no need for langdetect.
    monkeypatch.setattr("translator.detect._latin_language", lambda text: pytest.fail("langdetect was asked"))
    text = "Bonjour tout le monde, comment allez-vous aujourd'hui mon ami?"
    assert detect_language(text, latin_languages=False) == "en"
