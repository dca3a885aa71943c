//! The multi-page 许可申请书: the page frame with its picker, one body per page, the
//! check-your-answers page and the print view of a page.

use maud::{html, Markup, DOCTYPE};

use super::components::{checkbox, count_cell, error_summary, file_size, province_select, Field};
use super::date_time;
use super::layout::{csrf_field, csrf_query, page, Chrome};
use crate::domain::application_form::{
    AddressRow, ApplicationForm, FormPage, NDT_LEVELS, NDT_METHODS, RESPONSIBLE_ROLES, SPECIALTIES,
};
use crate::domain::attachment::AttachmentKind;
use crate::domain::catalogue::ApprovalScope;
use crate::domain::{ApplicationKind, Authorities, Catalogue};
use crate::store::{Application, AttachmentMeta};
use crate::web::forms::FieldErrors;

/// Everything a form page shows.
pub struct DraftView<'a> {
    pub application: &'a Application,
    pub page: FormPage,
    pub catalogue: &'a Catalogue,
    pub authorities: &'a Authorities,
    /// The derived authority's name, or why there is none yet.
    pub authority: Result<String, String>,
    pub attachments: &'a [AttachmentMeta],
    pub required_attachments: &'a [AttachmentKind],
    pub max_attachment_bytes: usize,
    pub errors: &'a FieldErrors,
    /// Pages that do not pass their checks yet, for the review page.
    pub incomplete: &'a [(FormPage, FieldErrors)],
}

impl DraftView<'_> {
    fn base(&self) -> String {
        format!("/production/drafts/{}", self.application.id)
    }

    fn form(&self) -> &ApplicationForm {
        &self.application.form
    }
}

pub fn draft_page(chrome: &Chrome, view: &DraftView<'_>) -> Markup {
    let title = format!("{}（第{}页）", view.page.title(), view.page.number());
    page(
        chrome,
        &title,
        html! {
            div.draft-frame {
                (page_picker(view))
                div.draft-main {
                    (heading(view))
                    (correction_banner(view))
                    (error_summary(view.errors))
                    @if view.page == FormPage::Review {
                        (review(chrome, view))
                    } @else {
                        @if view.page == FormPage::Attachments {
                            (upload_forms(chrome, view))
                        }
                        form.form #draft-form method="post" action={ (view.base()) "/" (view.page.slug()) } novalidate {
                            (csrf_field(&chrome.csrf_token))
                            h2 { (view.page.title()) }
                            (page_body(view))
                            div.actions.no-print {
                                button.button.secondary type="submit" name="op" value="save" { "保存" }
                                button.button type="submit" name="op" value="next" { "下一页" }
                                a.button.secondary href={ (view.base()) "/" (view.page.slug()) "?print=1" } target="_blank" { "打印当前页" }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn heading(view: &DraftView<'_>) -> Markup {
    let application = view.application;
    html! {
        h1 { "特种设备生产单位许可申请书" span.badge { (application.kind.label()) } }
        dl.facts.compact {
            @if let Some(licence) = &application.licence {
                dt { "依据许可证" } dd { (licence.number) "（有效期至" (licence.expires_on.format("%Y-%m-%d")) "）" }
            }
            (kind_details(&application.kind))
            dt { "审批机关" }
            (authority_cell(&view.authority))
            dt { "草稿保存时间" } dd { (date_time(application.updated_at)) }
        }
    }
}

/// Renders, while the application waits for corrections, the defects of the 补正告知书 that
/// concern this page, or all of them on the review page.
fn correction_banner(view: &DraftView<'_>) -> Markup {
    let application = view.application;
    if application.status != crate::domain::ApplicationStatus::CorrectionRequested {
        return html! {};
    }
    let Some(notice) = application.procedure.corrections.last() else {
        return html! {};
    };
    let defects: Vec<_> = notice
        .defects
        .iter()
        .filter(|defect| {
            view.page == FormPage::Review || defect.page.as_deref() == Some(view.page.slug())
        })
        .collect();
    html! {
        div.correction-banner #correction-banner role="note" {
            strong { "补正告知书 " (notice.number) }
            @if defects.is_empty() {
                p { "本页无需补正。需补正的页面已在页面列表中标出。" }
            } @else {
                ul { @for defect in defects { li { (defect.text) } } }
            }
        }
    }
}

/// Renders the cell naming the derived authority, or the reason there is none. htmx replaces
/// it while the applicant ticks sub-items.
pub fn authority_cell(authority: &Result<String, String>) -> Markup {
    html! {
        dd #draft-authority aria-live="polite" {
            @match authority {
                Ok(name) => strong { (name) },
                Err(reason) => span.muted { (reason) },
            }
        }
    }
}

/// Renders the facts of an 已取证 application kind as definition-list rows.
pub fn kind_details(kind: &ApplicationKind) -> Markup {
    html! {
        @match kind {
            ApplicationKind::Renewal { self_declaration, late_reason } => {
                dt { "换证方式" }
                dd { @if *self_declaration { "自我声明承诺换证" } @else { "鉴定评审换证" } }
                @if let Some(reason) = late_reason {
                    dt { "逾期申请说明" } dd { (reason) }
                }
            }
            ApplicationKind::Change { change, changed_on, description } => {
                dt { "变更类型" } dd { (change.label()) }
                dt { "变更日期" } dd { (changed_on.format("%Y-%m-%d")) }
                dt { "变更说明" } dd { (description) }
            }
            ApplicationKind::Reissue { reason } => {
                dt { "补发原因" } dd { (reason) }
            }
            ApplicationKind::First | ApplicationKind::AddItems => {}
        }
    }
}

/// Renders the picker at the top left: every page, the current one marked. Its controls belong to
/// the page's form, so choosing a page saves and checks the current one, like 下一页.
fn page_picker(view: &DraftView<'_>) -> Markup {
    html! {
        nav.page-picker.no-print aria-label="申请书页面" {
            @if view.page == FormPage::Review {
                ol {
                    @for page in FormPage::ALL {
                        li.current[page == view.page] {
                            a href={ (view.base()) "/" (page.slug()) } { (page.title()) }
                            @if needs_correction(view, page) { span.flag.correction-mark { "（需补正）" } }
                        }
                    }
                }
            } @else {
                div.picker-controls {
                    label for="goto" { "跳转到" }
                    select #goto name="goto" form="draft-form" {
                        @for page in FormPage::ALL {
                            option value=(page.slug()) selected[page == view.page] {
                                (page.number()) ". " (page.title())
                            }
                        }
                    }
                    button.button.secondary type="submit" name="op" value="goto" form="draft-form" { "跳转" }
                }
                ol {
                    @for page in FormPage::ALL {
                        li.current[page == view.page] {
                            (page.title())
                            @if needs_correction(view, page) { span.flag.correction-mark { "（需补正）" } }
                        }
                    }
                }
            }
        }
    }
}

/// Whether the latest 补正告知书 names `page`.
fn needs_correction(view: &DraftView<'_>, page: FormPage) -> bool {
    view.application.status == crate::domain::ApplicationStatus::CorrectionRequested
        && view
            .application
            .procedure
            .corrections
            .last()
            .is_some_and(|notice| {
                notice
                    .defects
                    .iter()
                    .any(|defect| defect.page.as_deref() == Some(page.slug()))
            })
}

fn page_body(view: &DraftView<'_>) -> Markup {
    match view.page {
        FormPage::Unit => unit_page(view),
        FormPage::Addresses => addresses_page(view),
        FormPage::Items => items_page(view),
        FormPage::Quality => quality_page(view),
        FormPage::Technical => technical_page(view),
        FormPage::Attachments => attachments_page(view),
        FormPage::Review => html! {},
    }
}

fn unit_page(view: &DraftView<'_>) -> Markup {
    let unit = &view.form().unit;
    let errors = view.errors;
    html! {
        (Field::text("unit_name", "单位名称", &unit.unit_name).hint("与营业执照上的名称一致").render(errors))
        (Field::text("credit_code", "统一社会信用代码", &unit.credit_code).readonly().optional().render(errors))
        (Field::text("domicile", "住所", &unit.domicile).hint("营业执照上的住所").max_length(200).render(errors))
        (Field::text("office_address", "办公地址", &unit.office_address).max_length(200).render(errors))
        (Field::text("postcode", "邮政编码", &unit.postcode).max_length(6).render(errors))
        (Field::text("legal_representative", "法定代表人", &unit.legal_representative).max_length(50).render(errors))
        (Field::text("contact_name", "联系人", &unit.contact_name).max_length(50).render(errors))
        (Field::text("phone", "联系电话", &unit.phone).kind("tel").optional().max_length(30).render(errors))
        (Field::text("mobile", "手机号码", &unit.mobile).kind("tel").max_length(20).render(errors))
        (Field::text("email", "电子邮箱", &unit.email).kind("email").max_length(100).render(errors))
        (Field::text("fixed_assets", "固定资产（万元）", &unit.fixed_assets).max_length(15).render(errors))
        (Field::text("registered_capital", "注册资金（万元）", &unit.registered_capital).max_length(15).render(errors))
        (Field::text("staff_total", "职工总数（人）", &unit.staff_total).max_length(7).render(errors))
        (Field::text("technical_staff", "专业技术人员数（人）", &unit.technical_staff).max_length(7).render(errors))
        (checkbox("branch_alone", "本单位为分支机构，单独申请许可（须上传总公司授权书）", unit.branch_alone, errors))
    }
}

fn addresses_page(view: &DraftView<'_>) -> Markup {
    let addresses: Vec<AddressRow> = if view.form().addresses.is_empty() {
        vec![AddressRow::default()]
    } else {
        view.form().addresses.clone()
    };
    let errors = view.errors;
    html! {
        p { "按生产（制造、安装、充装）地址逐一填写，申请许可项目页将每个子项目对应到一个生产地址。" }
        @for (index, address) in addresses.iter().enumerate() {
            @let number = index + 1;
            fieldset.address #{ "address-" (number) } {
                legend { "生产地址" (number) }
                (province_select(&format!("address_{number}_province"), "省份", address.province_code(), view.authorities, errors))
                (Field::text(&format!("address_{number}_city"), "市", &address.city).max_length(50).render(errors))
                (Field::text(&format!("address_{number}_district"), "区（县）", &address.district).max_length(50).render(errors))
                (Field::text(&format!("address_{number}_street"), "详细地址", &address.street).hint("街道和门牌号").max_length(200).render(errors))
                @if addresses.len() > 1 {
                    button.button.secondary type="submit" name="op" value={ "remove_address_" (number) } { "删除生产地址" (number) }
                }
            }
        }
        button.button.secondary type="submit" name="op" value="add_address" { "增加生产地址" }
    }
}

/// Formats a short label of an address for pickers: 1. 江苏省南京市江宁区.
pub fn address_label(number: usize, address: &AddressRow, authorities: &Authorities) -> String {
    let province = address
        .province_code()
        .and_then(|code| authorities.get(code))
        .map(|authority| authority.province.as_str())
        .unwrap_or("");
    format!(
        "{number}. {province}{}{}{}",
        address.city, address.district, address.street
    )
}

fn items_page(view: &DraftView<'_>) -> Markup {
    let form = view.form();
    let errors = view.errors;
    let chosen = |id: &str| form.items.iter().find(|choice| choice.sub_item == id);
    html! {
        div.no-print hx-get={ (view.base()) "/authority" } hx-trigger="change from:#draft-form"
            hx-include="#draft-form" hx-target="#draft-authority" hx-swap="outerHTML" {}
        p { "勾选申请许可的子项目，并为每个子项目选择生产地址。由国家市场监督管理总局审批的子项目与由省级市场监督管理部门审批的子项目不能在同一份申请中提交；省级审批的子项目，生产地址须在同一省份。" }
        @if form.addresses.is_empty() {
            p.field-message { "请先在“生产地址”页填写生产地址。" }
        }
        div.field.field-error[errors.get("sub_item").is_some()] #sub_item {
            @if let Some(message) = errors.get("sub_item") {
                p.field-message #sub_item-error { span.visually-hidden { "错误：" } (message) }
            }
            @for group in view.catalogue.grouped() {
                details.category open[group.items.iter().flat_map(|item| &item.sub_items).any(|s| chosen(&s.id).is_some())] {
                    summary { (group.category) }
                    @for item in &group.items {
                        fieldset.item {
                            legend { (item.item) }
                            @for sub_item in &item.sub_items {
                                @let choice = chosen(&sub_item.id);
                                @let address_field = format!("address_for_{}", sub_item.id);
                                div.item-row.field-error[errors.get(&address_field).is_some()] {
                                    label.check {
                                        input type="checkbox" name="sub_item" value=(sub_item.id) checked[choice.is_some()];
                                        span { (sub_item.sub_item) }
                                        @if !sub_item.level.is_empty() { span.level { (sub_item.level_label()) "级" } }
                                        @match sub_item.scope {
                                            ApprovalScope::Samr => span.scope.samr { "总局审批" },
                                            ApprovalScope::Provincial => span.scope { "省局审批" },
                                        }
                                    }
                                    select id=(address_field) name=(address_field) aria-label={ (sub_item.sub_item) "的生产地址" } {
                                        @if form.addresses.len() != 1 { option value="" { "选择生产地址" } }
                                        @for (index, address) in form.addresses.iter().enumerate() {
                                            @let number = (index + 1).to_string();
                                            option value=(number) selected[choice.is_some_and(|c| c.address == number)] {
                                                (address_label(index + 1, address, view.authorities))
                                            }
                                        }
                                    }
                                    @if let Some(message) = errors.get(&address_field) {
                                        p.field-message id={ (address_field) "-error" } { (message) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn quality_page(view: &DraftView<'_>) -> Markup {
    let quality = &view.form().quality;
    let errors = view.errors;
    html! {
        fieldset {
            legend { "质量保证工程师" }
            (Field::text("engineer_name", "姓名", &quality.engineer.name).max_length(50).render(errors))
            (Field::text("engineer_post", "职务", &quality.engineer.post).max_length(50).render(errors))
            (Field::text("engineer_title", "职称", &quality.engineer.title).max_length(50).render(errors))
        }
        fieldset {
            legend { "质量控制系统责任人员" }
            table.table.entry {
                thead { tr { th { "过程" } th { "姓名" } th { "职称" } } }
                tbody {
                    @for (index, role) in RESPONSIBLE_ROLES.iter().enumerate() {
                        @let person = quality.responsible.get(index).cloned().unwrap_or_default();
                        tr {
                            th { (role) }
                            (text_cell(&format!("responsible_{index}_name"), &format!("{role}责任人员姓名"), &person.name, errors))
                            (text_cell(&format!("responsible_{index}_title"), &format!("{role}责任人员职称"), &person.title, errors))
                        }
                    }
                }
            }
        }
    }
}

fn text_cell(name: &str, label: &str, value: &str, errors: &FieldErrors) -> Markup {
    let error = errors.get(name);
    html! {
        td.field-error[error.is_some()] {
            input id=(name) name=(name) type="text" value=(value) maxlength="50" aria-label=(label)
                aria-invalid=[error.map(|_| "true")];
            @if let Some(error) = error { p.field-message id={ (name) "-error" } { (error) } }
        }
    }
}

fn technical_page(view: &DraftView<'_>) -> Markup {
    let technical = &view.form().technical;
    let errors = view.errors;
    let count = |values: &[String], index: usize| values.get(index).cloned().unwrap_or_default();
    html! {
        fieldset {
            legend { "专业技术人员（按专业）" }
            table.table.entry {
                thead { tr { @for specialty in SPECIALTIES { th { (specialty) } } } }
                tbody {
                    tr {
                        @for (index, specialty) in SPECIALTIES.iter().enumerate() {
                            (count_cell(&format!("specialty_{index}"), &format!("{specialty}专业人员数"), &count(&technical.specialties, index), errors))
                        }
                    }
                }
            }
        }
        (Field::text("welders", "持证焊工人数", &technical.welders).optional().max_length(7).render(errors))
        fieldset {
            legend { "无损检测人员（按方法和级别）" }
            table.table.entry {
                thead { tr { th { "方法" } @for level in NDT_LEVELS { th { (level) "级" } } } }
                tbody {
                    @for (method_index, method) in NDT_METHODS.iter().enumerate() {
                        tr {
                            th { (method) }
                            @for (level_index, level) in NDT_LEVELS.iter().enumerate() {
                                (count_cell(&format!("ndt_{method}_{level}"), &format!("{method}-{level}人数"), &count(&technical.ndt, method_index * NDT_LEVELS.len() + level_index), errors))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Renders the upload forms, one per attachment kind. They post multipart bodies, so each
/// carries its CSRF token in the query string.
fn upload_forms(chrome: &Chrome, view: &DraftView<'_>) -> Markup {
    let limit_mib = view.max_attachment_bytes / (1024 * 1024);
    html! {
        section.uploads #uploads {
            h2 { "附件材料" }
            p { "支持PDF、JPEG、PNG格式，单个文件不超过" (limit_mib) "MB。文件类型按文件内容识别。" }
            @for kind in AttachmentKind::ALL {
                @let required = view.required_attachments.contains(&kind);
                @let field = format!("attachment_{}", kind.slug());
                @let files: Vec<&AttachmentMeta> = view.attachments.iter().filter(|a| a.kind == kind).collect();
                div.upload.field-error[view.errors.get(&field).is_some()] id=(field) {
                    h3 { (kind.label()) @if required { span.badge { "必传" } } @else { span.optional { "（按需上传）" } } }
                    @if let Some(message) = view.errors.get(&field) {
                        p.field-message id={ (field) "-error" } { (message) }
                    }
                    @if !files.is_empty() {
                        table.table.files {
                            thead { tr { th { "文件名" } th { "格式" } th { "大小" } th { "上传时间" } th { "操作" } } }
                            tbody {
                                @for file in &files {
                                    tr {
                                        td { a href={ "/production/attachments/" (file.id) } { (file.file_name) } }
                                        td { (file.file_type.label()) }
                                        td { (file_size(file.size)) }
                                        td { (date_time(file.uploaded_at)) }
                                        td {
                                            form.inline method="post" action={ (view.base()) "/attachments/" (file.id) "/delete" } {
                                                (csrf_field(&chrome.csrf_token))
                                                button.link.danger type="submit" { "删除" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    form.upload-form method="post" enctype="multipart/form-data"
                        action={ (view.base()) "/upload?kind=" (kind.slug()) "&" (csrf_query(&chrome.csrf_token)) } {
                        label.visually-hidden for={ "file-" (kind.slug()) } { "选择" (kind.label()) "文件" }
                        input id={ "file-" (kind.slug()) } type="file" name="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" required;
                        button.button.secondary type="submit" { "上传" }
                    }
                }
            }
        }
    }
}

fn attachments_page(view: &DraftView<'_>) -> Markup {
    html! {
        p { "上传完成后点击“下一页”，核对全部内容后提交。" }
        @let missing: Vec<&AttachmentKind> = view.required_attachments.iter().filter(|kind| !view.attachments.iter().any(|a| a.kind == **kind)).collect();
        @if !missing.is_empty() {
            p.muted { "尚缺：" (missing.iter().map(|kind| kind.label()).collect::<Vec<_>>().join("、")) }
        }
    }
}

/// Renders the check-your-answers page: every section with a 修改 link, then the declaration.
fn review(chrome: &Chrome, view: &DraftView<'_>) -> Markup {
    html! {
        @if !view.incomplete.is_empty() {
            div.error-summary role="alert" {
                h2 { "以下页面尚未填写完整，请修改后再提交" }
                ul {
                    @for (page, errors) in view.incomplete {
                        li {
                            a href={ (view.base()) "/" (page.slug()) } { (page.title()) }
                            "：" (errors.iter().map(|(_, message)| message).collect::<Vec<_>>().join("；"))
                        }
                    }
                }
            }
        }
        @for page in FormPage::ALL {
            @if page != FormPage::Review {
                section.answers id={ "answers-" (page.slug()) } {
                    div.answers-heading {
                        h2 { (page.title()) }
                        a.no-print href={ (view.base()) "/" (page.slug()) } { "修改" span.visually-hidden { (page.title()) } }
                    }
                    (answers(page, view))
                }
            }
        }
        form.form method="post" action={ (view.base()) "/submit" } {
            (csrf_field(&chrome.csrf_token))
            h2 { "声明" }
            p { "本单位承诺：所填写的申请信息和提交的材料真实、准确、完整，如有虚假，愿意承担相应的法律责任。" }
            (checkbox("declaration", "我已阅读并同意上述声明", view.application.form.declaration, view.errors))
            div.actions {
                button.button type="submit" {
                    @if view.application.status == crate::domain::ApplicationStatus::CorrectionRequested { "补正后重新提交" } @else { "提交" }
                }
                a.button.secondary href={ (view.base()) "/review?print=1" } target="_blank" { "打印当前页" }
            }
        }
    }
}

/// Returns the values of one page as label and value rows.
pub fn answer_rows(page: FormPage, view: &DraftView<'_>) -> Vec<(String, String)> {
    let form = view.form();
    let unit = &form.unit;
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut push = |label: &str, value: &str| rows.push((label.to_string(), value.to_string()));
    match page {
        FormPage::Unit => {
            push("单位名称", &unit.unit_name);
            push("统一社会信用代码", &unit.credit_code);
            push("住所", &unit.domicile);
            push("办公地址", &unit.office_address);
            push("邮政编码", &unit.postcode);
            push("法定代表人", &unit.legal_representative);
            push("联系人", &unit.contact_name);
            push("联系电话", &unit.phone);
            push("手机号码", &unit.mobile);
            push("电子邮箱", &unit.email);
            push("固定资产（万元）", &unit.fixed_assets);
            push("注册资金（万元）", &unit.registered_capital);
            push("职工总数（人）", &unit.staff_total);
            push("专业技术人员数（人）", &unit.technical_staff);
            push(
                "分支机构单独申请",
                if unit.branch_alone { "是" } else { "否" },
            );
        }
        FormPage::Addresses => {
            for (index, address) in form.addresses.iter().enumerate() {
                push(
                    &format!("生产地址{}", index + 1),
                    &address_label(index + 1, address, view.authorities),
                );
            }
        }
        FormPage::Items => {
            for choice in &form.items {
                let label = view
                    .catalogue
                    .get(&choice.sub_item)
                    .map(|sub_item| format!("{}　{}", sub_item.item, sub_item.label()))
                    .unwrap_or_else(|| choice.sub_item.clone());
                push(&label, &format!("生产地址{}", choice.address));
            }
        }
        FormPage::Quality => {
            let engineer = &form.quality.engineer;
            push(
                "质量保证工程师",
                &format!("{}　{}　{}", engineer.name, engineer.post, engineer.title),
            );
            for (index, person) in form.quality.responsible.iter().enumerate() {
                if !person.name.is_empty() {
                    let role = RESPONSIBLE_ROLES.get(index).copied().unwrap_or("其他");
                    push(
                        &format!("{role}责任人员"),
                        &format!("{}　{}", person.name, person.title),
                    );
                }
            }
        }
        FormPage::Technical => {
            let technical = &form.technical;
            for (index, specialty) in SPECIALTIES.iter().enumerate() {
                if let Some(count) = technical.specialties.get(index).filter(|c| !c.is_empty()) {
                    push(&format!("{specialty}专业人员"), count);
                }
            }
            push("持证焊工人数", &technical.welders);
            for (index, count) in technical.ndt.iter().enumerate() {
                if !count.is_empty() {
                    let method = NDT_METHODS[index / NDT_LEVELS.len() % NDT_METHODS.len()];
                    let level = NDT_LEVELS[index % NDT_LEVELS.len()];
                    push(&format!("无损检测{method}-{level}"), count);
                }
            }
        }
        FormPage::Attachments => {
            for file in view.attachments {
                push(
                    file.kind.label(),
                    &format!(
                        "{}（{}，{}）",
                        file.file_name,
                        file.file_type.label(),
                        file_size(file.size)
                    ),
                );
            }
        }
        FormPage::Review => {}
    }
    rows
}

fn answers(page: FormPage, view: &DraftView<'_>) -> Markup {
    html! {
        dl.facts {
            @for (label, value) in answer_rows(page, view) {
                dt { (label) } dd { (value) }
            }
        }
    }
}

/// Renders one page for printing: its title and values on A4, with no navigation or forms.
pub fn print_page(view: &DraftView<'_>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                title { (view.page.title()) " - 特种设备生产单位许可申请书" }
                link rel="stylesheet" href="/static/xuke.css";
                script src="/static/xuke.js" defer {}
            }
            body.print-view data-autoprint {
                article.document #print-page {
                    h1 { "特种设备生产单位许可申请书" }
                    h2 { (view.page.number()) ". " (view.page.title()) }
                    @if view.page == FormPage::Review {
                        @for page in FormPage::ALL {
                            @if page != FormPage::Review {
                                h3 { (page.title()) }
                                (answers(page, view))
                            }
                        }
                    } @else {
                        (answers(view.page, view))
                    }
                }
            }
        }
    }
}
