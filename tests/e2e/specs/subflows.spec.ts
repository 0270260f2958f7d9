import { expect, test } from '../fixtures';
import { Designer } from '../pages/designer';

test('subflows: add, edit, rename, delete and undo, each tab its own steps', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  const tabs = page.getByRole('tablist', { name: 'Subflows' });
  await d.add('Run subflow', { 'Call subflow': 'Subflow1' });
  await expect(d.errors.getByRole('listitem')).toContainText('there is no subflow named "Subflow1"');

  await page.getByRole('button', { name: 'New subflow' }).click();
  await expect(tabs.getByRole('tab', { name: 'Subflow1' })).toHaveAttribute('aria-selected', 'true');
  await expect(d.steps).toHaveCount(0);
  await expect(d.errors.getByText('No errors found in this flow.')).toBeVisible();
  await d.add('Comment', { Comment: 'in the subflow' });
  expect(await d.lines()).toEqual(['1 Comment in the subflow']);

  await tabs.getByRole('tab', { name: 'Main' }).click();
  expect(await d.lines()).toEqual(['1 Run subflow Call subflow: Subflow1']);

  await tabs.getByRole('tab', { name: 'Subflow1' }).dblclick();
  await page.getByLabel('New name for subflow Subflow1').fill('Cleanup');
  await page.keyboard.press('Enter');
  await expect(tabs.getByRole('tab', { name: 'Cleanup' })).toBeVisible();
  await expect(d.errors.getByRole('listitem')).toContainText('there is no subflow named "Subflow1"');

  await tabs.getByRole('tab', { name: 'Cleanup' }).click();
  await page.getByRole('button', { name: 'Delete subflow Cleanup' }).click();
  await expect(tabs.getByRole('tab')).toHaveCount(1);
  await page.getByRole('button', { name: 'Undo' }).click();
  await tabs.getByRole('tab', { name: 'Cleanup' }).click();
  expect(await d.lines()).toEqual(['1 Comment in the subflow']);
});
