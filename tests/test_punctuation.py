import pytest

from translator.punctuation import chinese_punctuation, to_traditional


@pytest.mark.parametrize(
    ("model_output", "expected"),
    [
        # The real opus-mt-en-zh FLORES output, first line (ASCII marks from NFKC normalisation).
        ("星期一,斯坦福大学医学院的科学家们宣布发明一种新的诊断工具,可以按类型对细胞进行分类:一个小的芯片。",
         "星期一，斯坦福大学医学院的科学家们宣布发明一种新的诊断工具，可以按类型对细胞进行分类：一个小的芯片。"),
        ("坠毁在跑道上(世界协调时0230),并爆炸", "坠毁在跑道上（世界协调时0230），并爆炸"),
        ("当地媒体报导, 机场消防车翻转!", "当地媒体报导，机场消防车翻转！"),
        ("你在哪里买的?", "你在哪里买的？"),
        ("时间是9:30,价格1,000元", "时间是9:30，价格1,000元"),
        ("Hello, world! (ok)", "Hello, world! (ok)"),
    ],
)
def test_chinese_punctuation(model_output: str, expected: str) -> None:
    assert chinese_punctuation(model_output) == expected


def test_traditional_conversion() -> None:
    assert to_traditional("这个火锅太好吃了，欢迎来到我的主页") == "這個火鍋太好吃了，歡迎來到我的主頁"
