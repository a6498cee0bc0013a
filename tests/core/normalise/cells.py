"""Hypothesis strategy for "anything a spreadsheet reader could hand a normaliser"."""

from hypothesis import strategies as st


def any_cell(alphabet: str) -> st.SearchStrategy[object]:
    """Every cell type the readers produce, plus text biased towards `alphabet` (the tricky characters)."""
    return st.one_of(
        st.none(),
        st.text(),
        st.text(alphabet=alphabet),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.dates(),
        st.datetimes(),
        st.booleans(),
        st.decimals(),
    )
