"""More vendor exports as real tools write them (issue #15): accounting and ERP lists (Sage, Cegid, Odoo), CSVs
written by scripts and web CRMs, title blocks, totals, headers with notes. Each one imports right, or is refused
with a French message naming the file, the sheet, the cells and the fix: never a silent misreading."""

from __future__ import annotations

from pathlib import Path

import pytest
from realworld import OFFIPLUS, Ids, d, errors, mapped, run, workspace, write_xlsx

from segur_desktop.core import extra_rows
from segur_desktop.core.errors import InputError
from segur_desktop.core.mapping import load_table
from segur_desktop.core.messages import Severity

# -- headers ------------------------------------------------------------------------------------


def test_sage_and_odoo_titles_are_recognised(tmp_path: Path) -> None:
    """Sage names a client « Intitulé » and a document « N° pièce »; Odoo writes « Référence de la commande »."""
    clients = write_xlsx(tmp_path / "tiers.xlsx", {"Tiers": [["Code tiers", "Intitulé", "N° FINESS"]]})
    assert mapped(clients, "clients") == {"client_code": "Code tiers", "name": "Intitulé", "finess_et": "N° FINESS"}
    sage = write_xlsx(tmp_path / "sage.xlsx", {"Commandes": [["N° pièce", "Date", "Code tiers", "Intitulé tiers",
                                                              "Montant HT"]]})
    assert mapped(sage, "bdc") == {"bdc_number": "N° pièce", "signature_date": "Date", "client_code": "Code tiers",
                                   "client_name": "Intitulé tiers", "amount_ht": "Montant HT"}
    odoo = write_xlsx(tmp_path / "odoo.xlsx", {"Bons": [["Référence de la commande", "Date de la commande", "Client",
                                                         "Montant hors taxes", "FINESS"]]})
    assert mapped(odoo, "bdc")["bdc_number"] == "Référence de la commande"
    assert mapped(odoo, "bdc")["signature_date"] == "Date de la commande"


def test_a_title_with_a_note_on_how_to_write_it_or_a_line_break_is_its_title(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bdc.xlsx", {"BDC": [[
        "N° BDC\n(obligatoire)", "Date de signature [JJ/MM/AAAA]", " FINESS\ngéographique ", "Montant HT\n(en euros)  "]]})
    assert mapped(path, "bdc") == {"bdc_number": "N° BDC (obligatoire)", "signature_date": "Date de signature [JJ/MM/AAAA]",
                                   "finess_et": "FINESS géographique", "amount_ht": "Montant HT (en euros)"}


@pytest.mark.parametrize("header", ["Montant (TVA comprise)", "Bon de commande (PDF)", "Date (prévisionnelle)"])
def test_a_note_that_may_change_the_meaning_is_kept_in_the_title(header: str) -> None:
    """« Montant (TVA comprise) » without its note is « Montant », the HT amount's title: never read so."""
    from segur_desktop.core.mapping import table_specs

    assert table_specs()["bdc"].field_for(header) is None


@pytest.mark.parametrize("header, field", [
    ("N° BC", "bdc_number"), ("Numéro BC", "bdc_number"), ("Date sign.", "signature_date"), ("Mt HT", "amount_ht"),
    ("Nom de l'officine", "client_name"), ("Raison sociale du client", "client_name"), ("N° compte", "client_code"),
    ("Compte client", "client_code"), ("Nom du PDF", "bdc_file"), ("PDF", "bdc_file"),
    ("N° document", "bdc_number"), ("Document N°", "bdc_number"), ("Date pièce", "signature_date"),  # EBP, Cegid
    ("Tiers", "client_code"), ("Libellé tiers", "client_name"),
    ("Code adhérent", "client_code"), ("Adhérent", "client_name"),  # a pharmacy group's extract
    ("№ BDC", "bdc_number"), ("№ FINESS", "finess"), ("№BC", "bdc_number")])  # the numero sign of a word processor
def test_titles_of_french_erps_and_accounting_software(header: str, field: str) -> None:
    from segur_desktop.core.mapping import table_specs

    assert table_specs()["bdc"].field_for(header) == field


def test_two_columns_of_one_title_are_refused_not_the_first_taken(tmp_path: Path) -> None:
    """« Montant » twice (TTC then HT, as an ERP lays them): taking the first read every TTC amount as HT."""
    path = write_xlsx(tmp_path / "bdc.xlsx", {"Export": [
        ["N° BDC", "Date de signature", "FINESS", "Montant", "Montant"],
        ["BC1", d(8, 1), "750712184", 1050, 875]]})
    with pytest.raises(InputError) as refused:
        load_table(path, "bdc")
    text = str(refused.value)
    for part in ("« bdc.xlsx »", "« Export »", "ligne 1", "colonnes D et E", "« Montant »", "« Montant HT »",
                 "titres différents"):
        assert part in text, text


def test_mapping_suggest_refuses_two_columns_of_one_title_as_validate_does(tmp_path: Path) -> None:
    from segur_desktop.core.profiles import suggest

    path = write_xlsx(tmp_path / "bdc.xlsx", {"Export": [["N° BDC", "Date de signature", "FINESS", "Montant", "Montant"]]})
    with pytest.raises(InputError, match="les colonnes D et E portent le même titre « Montant »"):
        suggest(path, "bdc")


def test_two_columns_of_one_title_that_no_field_reads_are_no_matter(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bdc.xlsx", {"Export": [
        ["N° BDC", "Date de signature", "FINESS", "Montant HT", "Commentaire", "Commentaire"]]})
    assert set(mapped(path, "bdc")) == {"bdc_number", "signature_date", "finess", "amount_ht"}


def test_a_sage_export_joins_by_its_tiers_code(tmp_path: Path) -> None:
    ids = Ids(1515)
    finess = [ids.finess("13"), ids.finess("83")]
    write_xlsx(tmp_path / "tiers.xlsx", {"Tiers": [["Code tiers", "Intitulé", "N° FINESS"],
                                                   ["CLT0001", "Pharmacie du Port", finess[0]],
                                                   ["CLT0002", "Pharmacie Centrale", finess[1]]]})
    write_xlsx(tmp_path / "pieces.xlsx", {"Commandes": [
        ["N° pièce", "Date", "Code tiers", "Intitulé tiers", "Désignation", "Secteur", "Type", "Montant HT",
         "Fichier BDC"],
        ["BC0001", d(8, 1), "CLT0001", "Pharmacie du Port", "OffiPlus V3", "Officine", "Avance", 875, "BC0001.pdf"],
        ["BC0002", d(8, 2), "clt0002", "Pharmacie Centrale", "OffiPlus V3", "Officine", "Avance", 625, "BC0002.pdf"]]})
    workspace(tmp_path, "Sage", [OFFIPLUS], "tiers.xlsx", "pieces.xlsx", ["BC0001.pdf", "BC0002.pdf"])
    result = run(tmp_path)
    assert errors(result) == []
    assert sorted(demande.bdc.row for demande in result.demandes if demande.valid) == [2, 3]


# -- title blocks, subtotals, totals ------------------------------------------------------------


def sage_commandes(folder: Path) -> tuple[list[int], dict[int, str]]:
    """An accounting export of orders: a title block over merged cells beside a logo's empty shaded area, the header
    on row 5 under an autofilter with frozen panes, a subtotal under each client and « Total général » at the
    bottom. Returns the rows of the orders and the total rows with their labels."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(1516)
    pharmacies = [("Pharmacie du Port", ids.finess("13")), ("Pharmacie Centrale", ids.finess("83")),
                  ("Pharmacie des Alpes", ids.finess("05"))]
    write_xlsx(folder / "tiers.xlsx", {"Tiers": [["Code tiers", "Intitulé", "N° FINESS"]] + [
        [f"CLT{i:04d}", name, finess] for i, (name, finess) in enumerate(pharmacies)] + [
        [None, "Total : 3 tiers", None]]})
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Commandes"
    sheet.merge_cells("C1:H1")
    sheet["C1"] = "MÉDILOG SANTÉ SAS — Bons de commande Ségur"
    sheet.merge_cells("C2:H2")
    sheet["C2"] = "Période du 01/06/2022 au 30/11/2022"
    for cell in ("A1", "B1", "A2", "B2", "A3", "B3"):
        sheet[cell].fill = PatternFill("solid", fgColor="DDDDDD")  # the logo's place
    sheet.append([])
    sheet.append(["N° pièce", "Date", "Code tiers", "Intitulé tiers", "Désignation", "Secteur", "Type", "Montant HT",
                  "Fichier BDC"])
    orders, totals, pdfs = [], {}, []
    for i, (name, _finess) in enumerate(pharmacies):
        number = f"BC{i:04d}"
        sheet.append([number, d(8, 1 + i), f"CLT{i:04d}", name, "OffiPlus V3", "Officine", "Avance", 875, f"{number}.pdf"])
        orders.append(sheet.max_row)
        pdfs.append(f"{number}.pdf")
        sheet.append([None, None, None, f"Total {name}", None, None, None, 875, None])
        totals[sheet.max_row] = f"Total {name}"
    sheet.append([None, None, None, None, None, None, "TOTAL GÉNÉRAL", 875 * 3, None])
    totals[sheet.max_row] = "TOTAL GÉNÉRAL"
    sheet.auto_filter.ref = f"A4:I{sheet.max_row - 1}"
    sheet.freeze_panes = "A5"
    workbook.save(folder / "commandes.xlsx")
    workspace(folder, "Sage", [OFFIPLUS], "tiers.xlsx", "commandes.xlsx", pdfs)
    return orders, totals


def test_subtotals_and_the_grand_total_are_left_out_and_said_at_their_rows(tmp_path: Path) -> None:
    orders, totals = sage_commandes(tmp_path)
    result = run(tmp_path)
    assert errors(result) == []
    assert sorted(demande.bdc.row for demande in result.demandes if demande.valid) == orders
    assert result.summary().bdc_rows == len(orders)
    said = {(Path(d.file).name, d.row): d for d in result.diagnostics if d.code == "ligne_total"}
    assert set(said) == {("commandes.xlsx", row) for row in totals} | {("tiers.xlsx", 5)}
    for row, label in totals.items():
        assert said[("commandes.xlsx", row)].severity is Severity.INFO
        assert f"« {label} »" in said[("commandes.xlsx", row)].message


def test_a_row_named_total_that_has_a_bdc_number_or_a_client_key_is_a_list_row(tmp_path: Path) -> None:
    """« Total Énergies » is a client's name: a row with a BDC number or a key is read, and its errors said."""
    path = write_xlsx(tmp_path / "bdc.xlsx", {"BDC": [
        ["N° BDC", "Date de signature", "Nom du client", "FINESS", "Montant HT"],
        ["BC1", d(8, 1), "Total Énergies", None, 875],
        [None, d(8, 2), "Total Énergies", "750712184", 875],
        [None, None, "Totalement autre", None, 875],
        [None, None, "Sous-total", None, 1750]]})
    table = load_table(path, "bdc")
    assert [number for number, _cells in table.rows] == [2, 3, 4]
    assert table.totals == {5: "Sous-total"}


def test_a_total_typed_in_the_bdc_numbers_column_or_left_by_excels_subtotals_is_a_total(tmp_path: Path) -> None:
    """« Total » typed in column A (the BDC number's) under a hand-made list; Excel's Data > Subtotals grouping by the
    client code writes « CLT0001 Total » (English) or « Total CLT0001 » (French) there, and « Grand Total »."""
    path = tmp_path / "bdc.csv"
    path.write_text("\r\n".join([
        "N° BDC;Code client;Date de signature;Montant HT",
        "BC1;CLT0001;01/08/2022;875,00", ";CLT0001 Total;;875,00",
        "BC2;CLT0002;02/08/2022;625,00", ";Total CLT0002;;625,00",
        ";Grand Total;;1500,00", "", "Total;;;1500,00", "TOTAL-2022;CLT0003;03/08/2022;875,00"]) + "\r\n",
        encoding="utf-8")
    table = load_table(path, "bdc")
    assert [number for number, _cells in table.rows] == [2, 4, 9]  # « TOTAL-2022 » has a client: a list row
    assert table.totals == {3: "CLT0001 Total", 5: "Total CLT0002", 6: "Grand Total", 8: "Total"}


def test_a_total_word_of_a_users_fields_json_is_found_in_a_key_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """The words of « lignes_total » are data: a short one (« Tot. ») or one with an accent (« Récap. ») typed in the
    BDC number's column is a total too; the column's one search left them out."""
    monkeypatch.setattr(extra_rows, "total_keys", lambda: ("tot", "recap"))
    extra_rows._total_words.cache_clear()
    try:
        rows = [(2, ["BC1", "CLT0001", 875]), (3, ["Tot.", None, 875]), (4, ["Récap.", None, 875])]
        assert extra_rows.total_rows(rows, [0, 1]) == {3: "Tot.", 4: "Récap."}
    finally:
        monkeypatch.undo()
        extra_rows._total_words.cache_clear()


# -- dates --------------------------------------------------------------------------------------


def crm_csv(folder: Path, dates: list[str]) -> Path:
    """A web CRM's CSV in an English locale: commas, decimal points, dates as the locale writes them."""
    import csv
    import io

    folder.mkdir(parents=True, exist_ok=True)
    ids = Ids(1517)
    finess = [ids.finess("13") for _ in dates]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Account Name", "FINESS"])
    writer.writerows([f"Pharmacie {i}", number] for i, number in enumerate(finess))
    (folder / "clients.csv").write_text(buffer.getvalue(), encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Deal ID", "N° BDC", "Date de signature", "FINESS", "Logiciel", "Couloir", "Type", "Montant HT",
                     "Fichier BDC"])
    writer.writerows([f"{1000 + i}.0", f"BC{i}", day, number, "OffiPlus V3", "Officine", "Avance", "875.00", f"BC{i}.pdf"]
                     for i, (day, number) in enumerate(zip(dates, finess, strict=True)))
    (folder / "bdc.csv").write_text(buffer.getvalue(), encoding="utf-8")
    workspace(folder, "CRM", [OFFIPLUS], "clients.csv", "bdc.csv", [f"BC{i}.pdf" for i in range(len(dates))])
    return folder


def test_a_column_written_month_first_reads_no_date_that_could_be_either(tmp_path: Path) -> None:
    """« 8/5/2022 » beside « 8/25/2022 »: 5 August, not 8 May. Read day first it was 8 May, silently."""
    result = run(crm_csv(tmp_path, ["8/5/2022", "8/25/2022", "9/9/2022", "2022-09-12"]))
    assert errors(result) == [("bdc.csv", 2, "date_mois_jour"), ("bdc.csv", 3, "date_impossible")]
    said = next(d for d in result.diagnostics if d.code == "date_mois_jour")
    for part in ("« 8/5/2022 »", "8 mai 2022", "5 août 2022", "« 8/25/2022 », ligne 3", "JJ/MM/AAAA"):
        assert part in said.message + said.fix, said.message
    assert (said.column, said.header) == ("C", "Date de signature")
    assert sorted(demande.bdc.row for demande in result.demandes if demande.valid) == [4, 5]  # same day and month, ISO


def test_a_column_written_day_first_keeps_its_dates_beside_an_impossible_one(tmp_path: Path) -> None:
    result = run(crm_csv(tmp_path, ["08/05/2022", "31/02/2022", "28/08/2022", "02/09/2022"]))
    assert errors(result) == [("bdc.csv", 3, "date_impossible")]
    valid = {demande.bdc.row: demande.fields["bdc.date_signature"] for demande in result.demandes if demande.valid}
    assert sorted(valid) == [2, 4, 5]


# -- one row per line of an order ---------------------------------------------------------------


def test_an_orders_product_lines_are_all_refused_never_the_first_line_taken_for_the_order(tmp_path: Path) -> None:
    """An ERP's « lignes de commande » export: BC1's licence and training on two rows. The product does not sum them
    (an order's lines may hold what the Ségur does not fund): it refuses both rows and says to group them. Before,
    the first line gave a valid demande of 700 € for an order of 875 €."""
    ids = Ids(1518)
    finess = [ids.finess("13"), ids.finess("83")]
    write_xlsx(tmp_path / "clients.xlsx", {"Clients": [["Raison sociale", "FINESS"], ["Pharmacie du Port", finess[0]],
                                                       ["Pharmacie Centrale", finess[1]]]})
    write_xlsx(tmp_path / "lignes.xlsx", {"Lignes": [
        ["N° BDC", "Date de signature", "FINESS", "Désignation", "Couloir", "Type", "Montant HT", "Fichier BDC"],
        ["BC1", d(8, 1), finess[0], "OffiPlus V3 - licence", "Officine", "Avance", 700, "BC1.pdf"],
        ["BC1", d(8, 1), finess[0], "OffiPlus V3 - formation", "Officine", "Avance", 175, "BC1.pdf"],
        ["BC2", d(8, 2), finess[1], "OffiPlus V3", "Officine", "Avance", 625, "BC2.pdf"]]})
    workspace(tmp_path, "Lignes", [OFFIPLUS], "clients.xlsx", "lignes.xlsx", ["BC1.pdf", "BC2.pdf"])
    result = run(tmp_path)
    assert errors(result) == [("lignes.xlsx", 2, "bdc_duplique"), ("lignes.xlsx", 3, "bdc_duplique")]
    assert [demande.bdc.row for demande in result.demandes if demande.valid] == [4]
    said = {d.row: d for d in result.diagnostics if d.code == "bdc_duplique"}
    assert "ligne 3" in said[2].message and "ligne 2" in said[3].message
    assert "regroupez-les en une ligne portant son montant HT total" in said[2].fix


def test_the_same_order_copied_twice_keeps_its_first_row(tmp_path: Path) -> None:
    ids = Ids(1519)
    finess = ids.finess("13")
    write_xlsx(tmp_path / "clients.xlsx", {"Clients": [["Raison sociale", "FINESS"], ["Pharmacie du Port", finess]]})
    row = ["BC1", d(8, 1), finess, "OffiPlus V3", "Officine", "Avance", 875, "BC1.pdf"]
    write_xlsx(tmp_path / "bdc.xlsx", {"BDC": [
        ["N° BDC", "Date de signature", "FINESS", "Logiciel", "Couloir", "Type", "Montant HT", "Fichier BDC"], row, row]})
    workspace(tmp_path, "Copie", [OFFIPLUS], "clients.xlsx", "bdc.xlsx", ["BC1.pdf"])
    result = run(tmp_path)
    assert errors(result) == [("bdc.xlsx", 3, "bdc_duplique")]
    assert [demande.bdc.row for demande in result.demandes if demande.valid] == [2]


# -- SIRET and SIREN in one column --------------------------------------------------------------


def test_a_siret_whose_company_the_client_list_names_by_siren_is_not_joined_but_that_client_is_suggested(
        tmp_path: Path) -> None:
    """A client list's « SIRET / SIREN » column: a cabinet listed by its company's SIREN, others by SIRET. A BDC naming
    an establishment's SIRET is not joined to the company (which establishment is the beneficiary is the user's to
    say), nor to another establishment of it: the row says which clients share the SIREN."""
    from realworld import RADIOSYS, siret_typed

    ids = Ids(1520)
    sirens = [ids.siren(), ids.siren()]
    sirets = [ids.siret(sirens[0]), ids.siret(), ids.siret(sirens[1]), ids.siret(sirens[1])]
    write_xlsx(tmp_path / "clients.xlsx", {"Clients": [
        ["Raison sociale", "SIRET / SIREN"], ["Cabinet A", sirens[0]], ["Cabinet B", siret_typed(sirets[1])],
        ["Cabinet C - site Nord", sirets[2]]]})
    header = ["N° BDC", "Date de signature", "SIRET", "Logiciel", "Couloir", "Type", "Montant HT", "Fichier BDC"]
    orders = [[f"BC{i}", d(8, 1 + i), siret, "RadioSys 7", "Imagerie", "Avance", 9800, f"BC{i}.pdf"]
              for i, siret in enumerate(sirets)]
    write_xlsx(tmp_path / "bdc.xlsx", {"BDC": [header, *orders]})
    workspace(tmp_path, "SIREN", [RADIOSYS], "clients.xlsx", "bdc.xlsx", [f"BC{i}.pdf" for i in range(len(sirets))])
    result = run(tmp_path)
    assert errors(result) == [("bdc.xlsx", 2, "client_inconnu"), ("bdc.xlsx", 5, "client_inconnu")]
    assert sorted(demande.bdc.row for demande in result.demandes if demande.valid) == [3, 4]
    said = {d.row: d.message for d in result.diagnostics if d.code == "client_inconnu"}
    assert f"« Cabinet A » (ligne 2 : SIREN {sirens[0]}, l'entreprise de ce SIRET)" in said[2]
    assert f"« Cabinet C - site Nord » (ligne 4 : SIREN {sirens[1]}, l'entreprise de ce SIRET)" in said[5]


# -- files written by other tools ---------------------------------------------------------------

BDC_HEADER = ["N° BDC", "Date de signature", "FINESS", "Logiciel", "Couloir", "Type", "Montant HT", "Fichier BDC"]


def _pharmacies(seed: int) -> list[tuple[str, str]]:
    ids = Ids(seed)
    return [("Pharmacie du Port", ids.finess("13")), ("Pharmacie Centrale", ids.finess("83")),
            ("Pharmacie des Alpes", ids.finess("05"))]


def _column(index: int) -> str:
    from segur_desktop.core.source import column_letter

    return column_letter(index)


def write_generated_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """An .xlsx as report generators and web exports write it: no shared strings (inline strings, and t="str" text),
    no dimension element, no styles part, numbers bare."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    xml_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r}"
            if isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif c % 2:
                cells.append(f'<c r="{ref}" t="str"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{relations}"><Relationship Id="rId1" Type="{office}/'
                                        'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{office}"><sheets><sheet name="Export" '
                                            'sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{relations}"><Relationship Id="rId1" '
                                                       f'Type="{office}/worksheet" Target="worksheets/sheet1.xml"/>'
                                                       '</Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{main}"><sheetData>{"".join(xml_rows)}'
                                                     '</sheetData></worksheet>')
    return path


def test_an_xlsx_without_shared_strings_nor_dimension_is_read_whole(tmp_path: Path) -> None:
    pharmacies = _pharmacies(1521)
    write_generated_xlsx(tmp_path / "clients.xlsx", [["Raison sociale", "FINESS"], *map(list, pharmacies)])
    write_generated_xlsx(tmp_path / "bdc.xlsx", [BDC_HEADER,
        ["BC1", "01/08/2022", pharmacies[0][1], "OffiPlus V3", "Officine", "Avance", 875, "BC1.pdf"],
        ["BC2", "2022-08-02", pharmacies[1][1], "OffiPlus V3", "Officine", "Avance", "625,00 €", "BC2.pdf"],
        ["BC3", 44776, pharmacies[2][1], "OffiPlus V3", "Officine", "Avance", "875", "BC3.pdf"]])
    workspace(tmp_path, "Généré", [OFFIPLUS], "clients.xlsx", "bdc.xlsx", ["BC1.pdf", "BC2.pdf", "BC3.pdf"])
    result = run(tmp_path)
    assert errors(result) == []
    valid = {demande.bdc.row: (demande.fields["bdc.date_signature"], demande.fields["bdc.montant_ht"])
             for demande in result.demandes if demande.valid}
    assert {row: (str(day), str(amount)) for row, (day, amount) in valid.items()} == {
        2: ("2022-08-01", "875.00"), 3: ("2022-08-02", "625.00"), 4: ("2022-08-03", "875.00")}


def test_a_legacy_xls_written_by_xlwt_with_dates_and_numbers(tmp_path: Path) -> None:
    from datetime import date

    import xlwt

    pharmacies = _pharmacies(1522)
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Clients")
    for row, cells in enumerate([["Raison sociale", "N° FINESS"], *([name, int(finess)] for name, finess in pharmacies)]):
        for column, value in enumerate(cells):
            sheet.write(row, column, value)
    workbook.save(str(tmp_path / "clients.xls"))
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("BDC")
    day = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for column, title in enumerate(BDC_HEADER):
        sheet.write(0, column, title)
    for row, (_name, finess) in enumerate(pharmacies, 1):
        sheet.write(row, 1, date(2022, 8, row), day)
        for column, value in ((0, f"BC{row}"), (2, finess), (3, "OffiPlus V3"), (4, "Officine"), (5, "Avance"),
                              (6, 875.0), (7, f"BC{row}.pdf")):
            sheet.write(row, column, value)
    workbook.save(str(tmp_path / "bdc.xls"))
    workspace(tmp_path, "xls", [OFFIPLUS], "clients.xls", "bdc.xls", ["BC1.pdf", "BC2.pdf", "BC3.pdf"])
    result = run(tmp_path)
    assert errors(result) == []
    assert sorted(demande.bdc.row for demande in result.demandes if demande.valid) == [2, 3, 4]
    restored = [d.row for d in result.diagnostics if d.code == "identifiant_zero_restaure"]
    assert restored == [4]  # 05...: the number lost its zero


def test_an_excel_csv_in_cp1252_with_a_trailing_empty_column_and_line_breaks_in_quoted_cells(tmp_path: Path) -> None:
    pharmacies = _pharmacies(1523)
    lines = ["Raison sociale;FINESS;Commentaire;"]
    lines += [f'{name};{finess};"Client depuis 2019\r\nà relancer ; 875 € HT";' for name, finess in pharmacies]
    (tmp_path / "clients.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    lines = [";".join(BDC_HEADER) + ";"]
    lines += [f'BC{i};0{i}/08/2022;{finess};OffiPlus V3;Officine;"Avance\r\n(30 %)";875,00 €;BC{i}.pdf;'
              for i, (_name, finess) in enumerate(pharmacies, 1)]
    (tmp_path / "bdc.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    workspace(tmp_path, "cp1252", [OFFIPLUS], "clients.csv", "bdc.csv", ["BC1.pdf", "BC2.pdf", "BC3.pdf"])
    result = run(tmp_path)
    assert errors(result) == []
    # A quoted cell's line break is no new row: the orders are on lines 2, 4 and 6 of the file, each one record.
    assert sorted(demande.bdc.row for demande in result.demandes if demande.valid) == [2, 3, 4]


def test_an_orders_cells_merged_down_over_its_lines_are_read_on_every_line(tmp_path: Path) -> None:
    """An ERP's « lignes de commande » layout: the order's number, date and client merged down over its lines. Read as
    written, line 2 was the whole order BC1 (700 €, a valid demande) and line 3 an orphan; read as shown, both
    lines are BC1's, refused together with the advice to group them."""
    from openpyxl import Workbook

    ids = Ids(1524)
    finess = [ids.finess("13"), ids.finess("83")]
    write_xlsx(tmp_path / "clients.xlsx", {"Clients": [["Raison sociale", "FINESS"], ["Pharmacie du Port", finess[0]],
                                                       ["Pharmacie Centrale", finess[1]]]})
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["N° BDC", "Date de signature", "FINESS", "Désignation", "Couloir", "Type", "Montant HT", "Fichier BDC"])
    sheet.append(["BC1", d(8, 1), finess[0], "OffiPlus V3 - licence", "Officine", "Avance", 700, "BC1.pdf"])
    sheet.append([None, None, None, "OffiPlus V3 - formation", None, None, 175, None])
    sheet.append(["BC2", d(8, 2), finess[1], "OffiPlus V3", "Officine", "Avance", 625, "BC2.pdf"])
    sheet.append([None] * 8)  # BC2's cells are merged over an empty row: a tall cell, no line
    for column in "ABCEFH":
        sheet.merge_cells(f"{column}2:{column}3")
        sheet.merge_cells(f"{column}4:{column}5")
    workbook.save(tmp_path / "lignes.xlsx")
    workspace(tmp_path, "Fusions", [OFFIPLUS], "clients.xlsx", "lignes.xlsx", ["BC1.pdf", "BC2.pdf"])
    result = run(tmp_path)
    assert errors(result) == [("lignes.xlsx", 2, "bdc_duplique"), ("lignes.xlsx", 3, "bdc_duplique")]
    assert [demande.bdc.row for demande in result.demandes if demande.valid] == [4]
    assert result.summary().bdc_rows == 3
