import { expect, test } from '../fixtures';
import { Designer } from '../pages/designer';

const flow = {
  schema: 1, id: '6f7e3a52-0000-4000-8000-000000000001', name: 'Invoice reminders',
  subflows: [{ name: 'Main', steps: [
    { id: '6f7e3a52-0000-4000-8000-000000000002', action: 'flow.comment', inputs: { comment: 'Remind customers about unpaid invoices' } },
    { id: '6f7e3a52-0000-4000-8000-000000000003', action: 'variables.set', inputs: { value: '3' }, outputs: { variable: 'DaysLate' } },
    { id: '6f7e3a52-0000-4000-8000-000000000004', action: 'http.invoke', inputs: { url: 'https://billing.example/api/invoices?status=unpaid', method: 'GET' } },
    { id: '6f7e3a52-0000-4000-8000-000000000005', action: 'data.json_to_object', inputs: { json: '%WebServiceResponse%' }, outputs: { result: 'Invoices' } },
    { id: '6f7e3a52-0000-4000-8000-000000000006', action: 'loops.for_each', inputs: { list: '%Invoices.items%' }, outputs: { item: 'Invoice' }, children: [
      { id: '6f7e3a52-0000-4000-8000-000000000007', action: 'conditionals.if', inputs: { first: '%Invoice.days_overdue%', operator: 'Greater than (>)', second: '%DaysLate%' }, children: [
        { id: '6f7e3a52-0000-4000-8000-000000000008', action: 'messages.display', inputs: { title: 'Overdue', message: 'Invoice %Invoice.number% is overdue' } },
        { id: '6f7e3a52-0000-4000-8000-000000000009', action: 'conditionals.else' },
        { id: '6f7e3a52-0000-4000-8000-00000000000a', action: 'loops.next' },
      ] },
    ] },
    { id: '6f7e3a52-0000-4000-8000-00000000000b', action: 'loops.exit' },
    { id: '6f7e3a52-0000-4000-8000-00000000000c', action: 'flow.wait' },
    { id: '6f7e3a52-0000-4000-8000-00000000000d', action: 'messages.display', inputs: { message: 'Done: %Total%' } },
  ] }],
};

test('the Errors panel names each problem with its line; a click selects the step', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await page.getByRole('button', { name: 'Flows' }).click();
  await page.getByLabel('Import flow file').setInputFiles({
    name: 'invoices.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(flow)),
  });
  await expect(page.getByRole('button', { name: /Flow name: Invoice reminders/ })).toBeVisible();
  const items = d.errors.getByRole('listitem');
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toContainText('Main, line 12');
  await expect(items.nth(0)).toContainText('Exit loop is outside a loop');
  await expect(items.nth(1)).toContainText('Main, line 13');
  await expect(items.nth(1)).toContainText('“Duration (seconds)” is required'.replace(/[“”]/g, '"'));
  await expect(items.nth(2)).toContainText('Main, line 14');
  await expect(items.nth(2)).toContainText('%Total%');
  await items.nth(1).getByRole('button').click();
  await expect(d.line(13)).toHaveClass(/selected/);
  await expect(d.line(13)).toHaveClass(/has-error/);

  await page.screenshot({ path: 'screenshots/designer-light-1280.png' });
  await d.line(6).dblclick();
  await page.screenshot({ path: 'screenshots/dialog-light-1280.png' });
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.screenshot({ path: 'screenshots/designer-light-1024.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: 'screenshots/designer-dark-1280.png' });
});
