"""The source tier ingest computes from a source's address (it decides disputes)."""

import pytest

from reformbook.data import TIERS
from reformbook.ingest import source_tier
from reformbook.reconcile import TIERS as RECONCILE_TIERS


@pytest.mark.parametrize("url,kind,language,tier", [
    ("https://pcivietnam.vn/ho-so-tinh/ha-noi", "publisher", "vi", "publisher_table"),
    ("https://dti.gov.vn/xep-hang-2022", "government", "vi", "publisher_table"),
    ("https://en.vcci.com.vn/pci-2023", "news", "en", "publisher_announcement"),
    ("https://huggingface.co/datasets/x", "dataset", "vi", "compilation"),
    ("https://e.vnexpress.net/news/x", "news", "en", "translation"),
    ("https://news.baohaiphong.vn/x", "news", "vi", "provincial"),
    ("https://snv.kontum.gov.vn/x", "government", "vi", "provincial"),
    ("https://kinhtedothi.vn/x", "news", "vi", "provincial"),
    ("https://vnexpress.net/x", "news", "vi", "national"),
    ("https://baochinhphu.vn/x", "news", "vi", "national"),
    ("", "seed", "vi", "national"),
])
def test_source_tier(url, kind, language, tier):
    assert source_tier(url, kind, language) == tier


def test_one_order_of_tiers():
    assert TIERS == RECONCILE_TIERS
